import { css } from 'lit';

const dark = css`
  --im-color-accent: #4f8cff;
  --im-color-bg: #15171a;
  --im-color-surface: #1e2125;
  --im-color-surface-hover: #272b30;
  --im-color-selected: #1f3357;
  --im-color-text: #e6e8eb;
  --im-color-muted: #a1a9b3;
  --im-color-border: #33383e;
  --im-color-bubble: #262a2f;
  --im-color-danger: #ff8078;
  --im-color-focus: #7aa7ff;
  --im-color-code-bg: #0d1117;
  --im-color-code-text: #e6edf3;
  --im-color-code-keyword: #ff7b72;
  --im-color-code-string: #a5d6ff;
  --im-color-code-comment: #9198a1;
  --im-color-code-number: #79c0ff;
  --im-color-code-title: #d2a8ff;
  --im-color-code-meta: #ffa657;
`;

/**
 * Design tokens, set once on `<im-chat>`'s host so that a page can override any of them
 * (`im-chat { --im-color-accent: rebeccapurple }`) and every part inherits the result.
 */
export const tokens = css`
  :host {
    --im-color-accent: #2563eb;
    --im-color-on-accent: #ffffff;
    --im-color-bg: #ffffff;
    --im-color-surface: #f3f4f6;
    --im-color-surface-hover: #e8eaee;
    --im-color-selected: #dbe7fe;
    --im-color-text: #1f2328;
    --im-color-muted: #57606a;
    --im-color-border: #d5d9de;
    --im-color-bubble: #eceef1;
    --im-color-bubble-text: var(--im-color-text);
    --im-color-bubble-own: var(--im-color-accent);
    --im-color-bubble-own-text: var(--im-color-on-accent);
    --im-color-danger: #b42318;
    --im-color-badge: #d92d20;
    --im-color-on-badge: #ffffff;
    --im-color-focus: #2563eb;
    /* Code blocks: their own surface, so that highlighting reads the same in any bubble. */
    --im-color-code-bg: #f6f8fa;
    --im-color-code-text: #1f2328;
    --im-color-code-keyword: #cf222e;
    --im-color-code-string: #0a3069;
    --im-color-code-comment: #59636e;
    --im-color-code-number: #0550ae;
    --im-color-code-title: #6639ba;
    --im-color-code-meta: #953800;
    --im-radius: 12px;
    --im-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC',
      'Microsoft YaHei', sans-serif;
    --im-font-size: 14px;
    --im-height: 600px;
  }

  /* Text and icons on the accent: black or white, whichever contrasts more with the accent
     (an override of --im-color-accent alone stays readable). CIELAB lightness 49.4 is the
     luminance (0.179) at which both give 4.58:1. */
  @supports (color: lab(from red l a b)) {
    :host {
      --im-color-on-accent: lab(from var(--im-color-accent) clamp(0, (49.4 - l) * 1000, 100) 0 0);
    }
  }

  :host([theme='dark']) {
    ${dark}
  }

  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light']):not([mode='support'])) {
      ${dark}
    }
  }

  /* Support mode follows the page it sits on (see PageSchemeController). */
  :host([mode='support']:state(page-dark)) {
    ${dark}
  }
`;

/** Small pieces every part uses. */
export const shared = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--im-color-focus);
    outline-offset: 2px;
  }
  svg.directional:dir(rtl) {
    transform: scaleX(-1);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .icon-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-width: 36px;
    min-height: 36px;
    padding: 6px;
    border: none;
    border-radius: 999px;
    background: transparent;
    cursor: pointer;
  }
  .icon-button:hover {
    background: var(--im-color-surface-hover);
  }
  .icon-button svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
`;
