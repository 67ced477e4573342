import { css } from 'lit';
import { shared } from '../styles/tokens.js';
import { historyCardStyles } from '../im-history/history-card.styles.js';
import { messageItemStyles } from './message-item.styles.js';

export const styles = [
  shared,
  messageItemStyles,
  historyCardStyles,
  css`
    :host {
      position: relative;
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .log {
      position: relative;
      flex: 1;
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    /* The virtualizer's host and scroller; it positions the rows absolutely inside. */
    .scroller {
      flex: 1;
      min-height: 0;
      margin: 0;
      padding: 0;
      list-style: none;
      overscroll-behavior: contain;
      /* Rows keep their width when the scrollbar appears: a width change would make every
         row resize again within the frame the virtualizer measures them in. */
      scrollbar-gutter: stable;
    }
    .scroller:focus-visible {
      outline-offset: -2px;
    }
    .scroller > li {
      inset-inline: 12px;
    }
    .note.empty {
      position: absolute;
      top: 40px;
      inset-inline: 0;
      margin: 0;
    }
    .loading {
      position: absolute;
      top: 8px;
      left: 50%;
      transform: translateX(-50%); /* centred: the same in either direction */
      margin: 0;
      padding: 2px 10px;
      border-radius: 999px;
      background: var(--im-color-surface);
      color: var(--im-color-muted);
      font-size: 0.8em;
    }
    .loading:empty {
      display: none;
    }
    .jump {
      position: absolute;
      inset-inline-end: 16px;
      padding: 6px 12px;
      border: 0;
      border-radius: 999px;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
      font-size: 0.85em;
      cursor: pointer;
    }
    .jump-unread {
      top: 8px;
    }
    .new-messages {
      bottom: 12px;
    }
    .action-failure {
    position: absolute;
    inset-inline: 12px;
    bottom: 8px;
    margin: 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--im-color-surface);
    color: var(--im-color-danger);
    font-size: 0.9em;
  }
`,
];
