import { css, unsafeCSS } from 'lit';

// Backgrounds for initials; each keeps white text above 4.5:1 contrast.
const palette = ['#0f766e', '#1d4ed8', '#7c3aed', '#b45309', '#be123c', '#047857', '#4338ca', '#a21caf'];

export const paletteSize = palette.length;

export const styles = css`
  :host {
    display: inline-block;
    flex: none;
    width: var(--im-avatar-size, 40px);
    height: var(--im-avatar-size, 40px);
    border-radius: 50%;
    overflow: hidden;
  }
  img,
  .initials {
    display: flex;
    width: 100%;
    height: 100%;
  }
  img {
    object-fit: cover;
  }
  .initials {
    align-items: center;
    justify-content: center;
    color: #fff;
    font-weight: 600;
    font-size: calc(var(--im-avatar-size, 40px) * 0.4);
    user-select: none;
  }
  ${unsafeCSS(palette.map((color, i) => `.color-${i} { background: ${color}; }`).join('\n'))}
`;
