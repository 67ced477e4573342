import { css, type CSSResult } from 'lit';

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
 * `declarations` on the host whenever the widget is dark: by its theme attribute, by the
 * system's scheme (unless `theme="light"`; not in support mode), or in support mode by the
 * page it sits on (see PageSchemeController).
 */
function whenDark(declarations: CSSResult): CSSResult {
  return css`
    :host([theme='dark']) {
      ${declarations}
    }
    @media (prefers-color-scheme: dark) {
      :host(:not([theme='light']):not([mode='support'])) {
        ${declarations}
      }
    }
    :host([mode='support']:state(page-dark)) {
      ${declarations}
    }
  `;
}

/**
 * The accent as text and marks on the theme's surfaces (links, text buttons, a selected tab,
 * a ticked box), from the accent alone: its linear-light channels scaled towards black (light
 * theme) or mixed towards white (dark theme) until its luminance reaches a bound, which keeps
 * its hue and stays inside sRGB, so what is painted is what was computed. The bounds keep
 * 4.5:1 on every surface of the theme, the darkest light one (--im-color-selected, #dbe7fe,
 * luminance 0.79: at most 0.125 gives 4.8:1) and the lightest dark one (#1f3357, 0.034: at
 * least 0.35 gives 4.8:1). An accent already past its bound is left as it is.
 * With L the luminance (0.2126 r + 0.7152 g + 0.0722 b): light, each channel times
 * min(1, 0.125 / L); dark, each channel plus (1 - channel) times max(0, (0.35 - L) / (1 - L)).
 * Written out in full, since the build minifies only static CSS.
 */
const accentTextDark = css`
  --im-color-accent-text: color(from var(--im-color-accent) srgb-linear calc(r + (1 - r) * max(0, (0.35 - (0.2126 * r + 0.7152 * g + 0.0722 * b)) / (1 - (0.2126 * r + 0.7152 * g + 0.0722 * b)))) calc(g + (1 - g) * max(0, (0.35 - (0.2126 * r + 0.7152 * g + 0.0722 * b)) / (1 - (0.2126 * r + 0.7152 * g + 0.0722 * b)))) calc(b + (1 - b) * max(0, (0.35 - (0.2126 * r + 0.7152 * g + 0.0722 * b)) / (1 - (0.2126 * r + 0.7152 * g + 0.0722 * b)))));
`;

/**
 * Design tokens, set once on `<im-chat>`'s host so that a page can override any of them
 * (`im-chat { --im-color-accent: rebeccapurple }`) and every part inherits the result.
 */
export const tokens = css`
  :host {
    --im-color-accent: #2563eb;
    --im-color-on-accent: #ffffff;
    --im-color-accent-text: var(--im-color-accent);
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

  @supports (color: color(from red srgb-linear r g b)) {
    :host {
      --im-color-accent-text: color(from var(--im-color-accent) srgb-linear calc(r * min(1, 0.125 / (0.2126 * r + 0.7152 * g + 0.0722 * b))) calc(g * min(1, 0.125 / (0.2126 * r + 0.7152 * g + 0.0722 * b))) calc(b * min(1, 0.125 / (0.2126 * r + 0.7152 * g + 0.0722 * b))));
    }
    ${whenDark(accentTextDark)}
  }

  ${whenDark(dark)}
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
