import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      padding-bottom: 16px;
      overflow-wrap: anywhere;
    }
    .header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      min-height: 56px;
      padding-block: 8px;
      padding-inline: 16px 8px;
      border-bottom: 1px solid var(--im-color-border);
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
    }
    h3 {
      margin: 0 0 6px;
      font-size: 0.8em;
      font-weight: 600;
      letter-spacing: 0.02em;
      text-transform: uppercase;
      color: var(--im-color-muted);
    }
    h4 {
      margin: 12px 0 4px;
      font-size: 0.85em;
      font-weight: 600;
    }
    section {
      padding: 12px 16px;
      border-bottom: 1px solid var(--im-color-border);
    }
    p {
      margin: 0 0 4px;
    }
    .customer {
      display: flex;
      gap: 12px;
      align-items: flex-start;
      --im-avatar-size: 44px;
    }
    .name {
      font-weight: 600;
      font-size: 1.05em;
    }
    .muted {
      color: var(--im-color-muted);
      font-size: 0.9em;
    }
    a {
      color: var(--im-color-accent-text);
    }
    .chip {
      display: inline-block;
      margin-inline-end: 6px;
      padding: 1px 8px;
      border-radius: 10px;
      font-size: 0.8em;
      font-weight: 600;
    }
    .chip.open {
      background: var(--im-color-selected);
      color: var(--im-color-text);
    }
    .chip.resolved {
      background: var(--im-color-surface);
      color: var(--im-color-text);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 10px;
    }
    .actions button,
    .actions select {
      font: inherit;
      padding: 6px 12px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-bg);
      color: inherit;
      cursor: pointer;
    }
    .actions button.primary {
      border-color: var(--im-color-accent);
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      font-weight: 600;
    }
    .actions :disabled {
      opacity: 0.5;
      cursor: default;
    }
    .failure {
      margin-top: 8px;
      color: var(--im-color-danger);
    }
    .context {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 2px 12px;
      margin: 8px 0 0;
      font-size: 0.92em;
    }
    .context dt {
      color: var(--im-color-muted);
    }
    .context dd {
      margin: 0;
    }
    ol,
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 4px;
      font-size: 0.92em;
    }
    li {
      display: flex;
      justify-content: space-between;
      gap: 8px;
    }
    time {
      flex: none;
      color: var(--im-color-muted);
      font-size: 0.9em;
    }
    .link {
      border: 0;
      padding: 0;
      background: none;
      color: var(--im-color-accent-text);
      cursor: pointer;
      text-align: start;
    }
    /* Beside the conversation there is nothing to close. */
    @container im-chat (min-width: 1100px) {
      .close {
        display: none;
      }
    }
  `,
];
