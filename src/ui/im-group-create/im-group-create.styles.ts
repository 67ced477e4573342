import { css } from 'lit';
import { dialogStyles } from '../styles/dialog.js';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  dialogStyles,
  css`
    form {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .fields {
      display: grid;
      gap: 4px;
      padding: 0 18px;
    }
    .fields label {
      margin-top: 6px;
      font-size: 0.88em;
      font-weight: 600;
    }
    .people {
      flex: 1;
      min-height: 80px;
      list-style: none;
      margin: 8px 0 0;
      padding: 0;
      overflow-y: auto;
    }
    .person {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 6px 18px;
      cursor: pointer;
      --im-avatar-size: 32px;
    }
    .person:hover {
      background: var(--im-color-surface-hover);
    }
    .error {
      margin: 4px 18px 0;
      color: var(--im-color-danger);
      font-size: 0.88em;
    }
    footer {
      display: flex;
      align-items: center;
      justify-content: flex-end;
      gap: 8px;
      padding: 10px 18px 14px;
    }
    .count {
      margin-inline-end: auto;
      color: var(--im-color-muted);
      font-size: 0.88em;
    }
  `,
];
