import { css } from 'lit';
import { dialogStyles } from '../styles/dialog.js';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  dialogStyles,
  css`
    dialog {
      width: min(360px, calc(100% - 32px));
      padding: 20px 20px 16px;
      text-align: center;
    }
    .group {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 4px;
      --im-avatar-size: 64px;
    }
    .name {
      margin: 8px 0 0;
      font-size: 1.15em;
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .count {
      margin: 0;
      color: var(--im-color-muted);
      font-size: 0.9em;
    }
    .description {
      margin: 8px 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .message {
      margin: 14px 0 0;
    }
    .message.error {
      color: var(--im-color-danger);
    }
    .actions {
      display: flex;
      justify-content: center;
      gap: 10px;
      margin-top: 18px;
    }
  `,
];
