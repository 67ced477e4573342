import { css } from 'lit';
import { dialogStyles } from '../styles/dialog.js';
import { shared } from '../styles/tokens.js';
import { messageItemStyles } from '../im-message-list/message-item.styles.js';
import { historyCardStyles } from './history-card.styles.js';

export const styles = [
  shared,
  dialogStyles,
  // Items are drawn as the list draws messages: the same bubbles, text and attachments.
  messageItemStyles,
  historyCardStyles,
  css`
    :host {
      display: contents;
    }
    dialog {
      width: min(var(--im-history-view-width, 560px), 100%);
      height: min(720px, 100%);
      max-width: 100%;
      max-height: 100%;
    }
    /* A phone: the whole window. */
    @media (max-width: 600px) {
      dialog {
        width: 100%;
        height: 100%;
        border: none;
        border-radius: 0;
      }
    }
    .header {
      justify-content: flex-start;
      gap: 8px;
      min-height: 52px;
      padding: 6px 12px;
      border-bottom: 1px solid var(--im-color-border);
    }
    h2 {
      overflow: hidden;
      font-size: 1.05em;
      font-weight: 600;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .items {
      flex: 1;
      margin: 0;
      padding: 8px 0;
      overflow-y: auto;
      list-style: none;
    }
    .item {
      display: flex;
      gap: 10px;
      padding: 8px 16px;
      --im-avatar-size: 34px;
    }
    .item + .item {
      border-top: 1px solid var(--im-color-border);
    }
    .item-main {
      display: flex;
      flex: 1;
      flex-direction: column;
      align-items: flex-start;
      gap: 4px;
      min-width: 0;
    }
    .item-head {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 10px;
      width: 100%;
    }
    .item-name {
      font-weight: 600;
    }
    .item-head time {
      color: var(--im-color-muted);
      font-size: 0.8em;
    }
  `,
];
