import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      height: 100%;
    }
    .header {
      display: flex;
      align-items: center;
      gap: 10px;
      min-height: 56px;
      padding: 8px 12px;
      border-bottom: 1px solid var(--im-color-border);
      --im-avatar-size: 34px;
    }
    .title {
      flex: 1;
      min-width: 0;
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .subtitle {
      margin: 1px 0 0;
      font-size: 0.82em;
      color: var(--im-color-muted);
    }
    .cannot-post {
      margin: 0;
      padding: 14px 16px;
      border-top: 1px solid var(--im-color-border);
      text-align: center;
      color: var(--im-color-muted);
      background: var(--im-color-surface);
    }
    .blocked-note {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: center;
      gap: 8px 12px;
      margin: 0;
      padding: 12px 16px;
      border-top: 1px solid var(--im-color-border);
      color: var(--im-color-text);
      background: var(--im-color-surface);
    }
    .blocked-note .button {
      min-height: 34px;
      padding: 6px 14px;
      border: 1px solid var(--im-color-accent);
      border-radius: 8px;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      font: inherit;
      cursor: pointer;
    }
    .blocked-note .error {
      flex-basis: 100%;
      text-align: center;
      color: var(--im-color-danger);
    }
    .message-list {
      flex: 1;
    }
    :host([no-back]) .back {
      display: none;
    }
    /* The back button belongs to the one-pane layout of a narrow <im-chat>. */
    @container im-chat (min-width: 768px) {
      .back {
        display: none;
      }
    }
  `,
];
