import { css, unsafeCSS } from 'lit';

// Backgrounds for initials; each keeps white text above 4.5:1 contrast.
const palette = ['#0f766e', '#1d4ed8', '#7c3aed', '#b45309', '#be123c', '#047857', '#4338ca', '#a21caf'];

export const paletteSize = palette.length;

export const styles = css`
  :host {
    position: relative;
    display: inline-block;
    flex: none;
    width: var(--im-avatar-size, 40px);
    height: var(--im-avatar-size, 40px);
  }
  img,
  .initials {
    display: flex;
    width: 100%;
    height: 100%;
    border-radius: 50%;
    overflow: hidden;
  }
  .online {
    position: absolute;
    inset-inline-end: 0;
    bottom: 0;
    width: 28%;
    height: 28%;
    min-width: 8px;
    min-height: 8px;
    box-sizing: border-box;
    border: 2px solid var(--im-color-bg, #fff);
    border-radius: 50%;
    background: var(--im-color-online, #16a34a);
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
  .initials.long {
    font-size: calc(var(--im-avatar-size, 40px) * 0.3);
  }
  ${unsafeCSS(palette.map((color, i) => `.color-${i} { background: ${color}; }`).join('\n'))}
`;
