import { css } from 'lit';
import { dialogStyles } from '../styles/dialog.js';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  dialogStyles,
  css`
    input {
      margin: 8px 16px;
    }
    .note {
      margin: 8px 18px;
      color: var(--im-color-muted);
    }
    .note.error {
      color: var(--im-color-danger);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 4px 0 10px;
      overflow-y: auto;
    }
    .person {
      display: flex;
      align-items: center;
      gap: 12px;
      width: 100%;
      padding: 8px 18px;
      border: none;
      background: transparent;
      text-align: start;
      cursor: pointer;
      --im-avatar-size: 36px;
    }
    .person:hover {
      background: var(--im-color-surface-hover);
    }
    .person:focus-visible {
      outline-offset: -2px;
    }
    .name {
      font-weight: 500;
    }
    .blocked {
      border-top: 1px solid var(--im-color-border);
    }
    .blocked h3 {
      margin: 10px 18px 0;
      font-size: 0.85em;
      font-weight: 600;
      color: var(--im-color-muted);
    }
    .blocked-person {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 6px 18px;
      --im-avatar-size: 32px;
    }
    .blocked-person .name {
      flex: 1;
      min-width: 0;
    }
    .unblock {
      min-height: 32px;
      padding: 4px 12px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
      cursor: pointer;
    }
    .unblock:hover:not(:disabled) {
      background: var(--im-color-surface-hover);
    }
  `,
];
