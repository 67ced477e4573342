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
    header {
      display: flex;
      align-items: center;
      gap: 10px;
      min-height: 56px;
      padding: 8px 12px;
      border-bottom: 1px solid var(--im-color-border);
      --im-avatar-size: 34px;
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    im-message-list {
      flex: 1;
    }
    /* The back button belongs to the one-pane layout of a narrow <im-chat>. */
    @container im-chat (min-width: 768px) {
      .back {
        display: none;
      }
    }
  `,
];
