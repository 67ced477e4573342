import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      vertical-align: top;
    }
    .card {
      display: grid;
      grid-template-columns: auto 1fr;
      align-items: center;
      gap: 4px 10px;
      min-width: 200px;
      max-width: var(--im-attachment-card-width, 280px);
      padding: 10px;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-attachment-radius, calc(var(--im-radius) - 4px));
      background: var(--im-color-bg);
      color: var(--im-color-text);
    }
    im-avatar {
      grid-row: span 2;
    }
    .name {
      overflow: hidden;
      font-weight: 600;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .label {
      color: var(--im-color-muted);
      font-size: 0.85em;
    }
    .actions {
      grid-column: 1 / -1;
      display: flex;
      gap: 6px;
      margin-block-start: 6px;
    }
    .message {
      flex: 1;
      min-height: 36px;
      border: 1px solid var(--im-color-accent);
      border-radius: calc(var(--im-radius) - 6px);
      background: transparent;
      color: var(--im-color-accent);
      font: inherit;
      font-weight: 600;
      cursor: pointer;
    }
    .message:hover {
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
    }
    .block {
      flex: none;
      min-height: 36px;
      padding-inline: 12px;
      border: 1px solid var(--im-color-border);
      border-radius: calc(var(--im-radius) - 6px);
      background: transparent;
      color: var(--im-color-danger);
      font: inherit;
      cursor: pointer;
    }
    .block.unblock {
      color: var(--im-color-text);
    }
    .block:hover {
      background: var(--im-color-surface-hover);
    }
    .block:disabled,
    .message:disabled {
      opacity: 0.6;
      cursor: default;
    }
    .blocked {
      color: var(--im-color-danger);
      font-weight: 600;
    }
    .error {
      grid-column: 1 / -1;
      margin: 4px 0 0;
      color: var(--im-color-danger);
      font-size: 0.85em;
    }
  `,
];
