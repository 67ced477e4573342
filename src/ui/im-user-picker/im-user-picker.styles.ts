import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    dialog {
      width: min(420px, calc(100% - 32px));
      max-height: min(560px, calc(100% - 32px));
      padding: 0;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-radius);
      background: var(--im-color-bg);
      color: var(--im-color-text);
      font: inherit;
      box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
    }
    dialog[open] {
      display: flex;
      flex-direction: column;
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.35);
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      padding: 10px 10px 4px 18px;
    }
    h2 {
      margin: 0;
      font-size: 1.1em;
    }
    input {
      margin: 8px 16px;
      padding: 8px 12px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
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
  `,
];
