import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      padding: 8px 12px 10px;
      border-top: 1px solid var(--im-color-border);
      background: var(--im-color-bg);
    }
    form {
      display: flex;
      align-items: flex-end;
      gap: 8px;
    }
    textarea {
      flex: 1;
      min-height: 40px;
      max-height: 160px;
      field-sizing: content;
      resize: none;
      padding: 9px 12px;
      border: 1px solid var(--im-color-border);
      border-radius: calc(var(--im-radius) + 8px);
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
      line-height: 1.4;
    }
    textarea:focus-visible {
      outline: 2px solid var(--im-color-focus);
      outline-offset: 0;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--im-color-danger);
    }
    .send {
      flex: none;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 40px;
      height: 40px;
      border: none;
      border-radius: 50%;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      cursor: pointer;
    }
    .send:disabled {
      background: var(--im-color-surface-hover);
      color: var(--im-color-muted);
      cursor: default;
    }
    .send svg {
      width: 20px;
      height: 20px;
      fill: currentColor;
    }
    .feedback {
      padding-inline: 12px;
      font-size: 0.85em;
      color: var(--im-color-danger);
    }
  `,
];
