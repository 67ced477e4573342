import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      height: 100%;
    }
    .desk {
      display: flex;
      flex-direction: column;
      height: 100%;
      /* The conversation pane's back button shows only while one pane fits. */
      container: im-chat / inline-size;
    }
    .panes {
      flex: 1;
      display: flex;
      min-height: 0;
    }
    .inbox,
    .conversation,
    .case {
      display: none;
      flex-direction: column;
      min-width: 0;
      min-height: 0;
    }
    .inbox {
      flex: 1;
    }
    .inbox .header {
      display: flex;
      align-items: center;
      min-height: 56px;
      padding: 8px 16px;
      border-bottom: 1px solid var(--im-color-border);
    }
    h2 {
      margin: 0;
      font-size: 1.25em;
    }
    .conversation-list {
      flex: 1;
      min-height: 0;
    }
    .conversation {
      flex: 1;
    }
    .case {
      flex: 1;
      overflow-y: auto;
      background: var(--im-color-bg);
    }
    .desk[data-view='inbox'] .inbox,
    .desk[data-view='conversation'] .conversation,
    .desk[data-view='case'] .case {
      display: flex;
    }
    .placeholder {
      margin: auto;
      padding: 24px;
      color: var(--im-color-muted);
      text-align: center;
    }
    /* Inbox and conversation side by side; the case over the conversation's end, on demand. */
    @container im-chat (min-width: 768px) {
      .desk[data-view] .inbox {
        display: flex;
        flex: none;
        width: clamp(280px, 30%, 380px);
        border-inline-end: 1px solid var(--im-color-border);
      }
      .desk[data-view] .conversation {
        display: flex;
      }
      .desk[data-view='case'] .case {
        position: absolute;
        inset-block: 0;
        inset-inline: auto 0;
        width: min(340px, 45%);
        border-inline-start: 1px solid var(--im-color-border);
        box-shadow: -8px 0 24px rgb(0 0 0 / 0.12);
      }
      .desk[data-view='case'] .case:dir(rtl) {
        box-shadow: 8px 0 24px rgb(0 0 0 / 0.12);
      }
      .panes {
        position: relative;
      }
    }
    /* Three columns: the case always beside the conversation. */
    @container im-chat (min-width: 1100px) {
      .desk[data-view] .case {
        display: flex;
        position: static;
        flex: none;
        width: 320px;
        box-shadow: none;
        border-inline-start: 1px solid var(--im-color-border);
      }
      .case-toggle {
        display: none;
      }
    }
  `,
];
