import { css } from 'lit';

/**
 * How many backgrounds initials have (`.color-0` … `.color-7` below, chosen by the user
 * id); each keeps white text above 4.5:1 contrast.
 */
export const paletteSize = 8;

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
  .color-0 {
    background: #0f766e;
  }
  .color-1 {
    background: #1d4ed8;
  }
  .color-2 {
    background: #7c3aed;
  }
  .color-3 {
    background: #b45309;
  }
  .color-4 {
    background: #be123c;
  }
  .color-5 {
    background: #047857;
  }
  .color-6 {
    background: #4338ca;
  }
  .color-7 {
    background: #a21caf;
  }
`;
