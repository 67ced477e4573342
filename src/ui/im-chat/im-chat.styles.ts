import { css } from 'lit';
import { shared, tokens } from '../styles/tokens.js';

export const styles = [
  tokens,
  shared,
  css`
    :host {
      display: block;
      height: var(--im-height);
      overflow: hidden;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-radius);
      background: var(--im-color-bg);
      color: var(--im-color-text);
      font-family: var(--im-font);
      font-size: var(--im-font-size);
      line-height: 1.35;
      text-align: start;
    }
    :host([hidden]) {
      display: none;
    }
    /* A support bubble takes no room in the page: its launcher and panel float. */
    :host([mode='support']) {
      display: contents;
    }
    .root {
      display: flex;
      flex-direction: column;
      height: 100%;
      /* The part the on-screen keyboard covers, where it does not resize the page. */
      padding-bottom: var(--im-keyboard-inset, 0px);
      container: im-chat / inline-size;
    }
    .panes {
      flex: 1;
      display: flex;
      min-height: 0;
    }
    .list-pane {
      display: flex;
      flex-direction: column;
      width: 100%;
      min-width: 0;
    }
    .list-pane .header {
      display: flex;
      align-items: center;
      justify-content: space-between;
      min-height: 56px;
      padding-block: 8px;
      padding-inline: 16px 8px;
      border-bottom: 1px solid var(--im-color-border);
    }
    h2 {
      margin-block: 0;
      margin-inline: 0 auto;
      font-size: 1.25em;
    }
    .notice {
      display: flex;
      align-items: center;
      gap: 8px;
      padding-block: 6px;
      padding-inline: 14px 8px;
      background: var(--im-color-selected);
      border-bottom: 1px solid var(--im-color-border);
    }
    .notice span {
      flex: 1;
    }
    .notice .link {
      border: none;
      background: none;
      color: var(--im-color-accent-text);
      font-weight: 600;
      cursor: pointer;
    }
    .conversation-list {
      flex: 1;
      min-height: 0;
    }
    .conversation-pane {
      display: none;
      flex: 1;
      min-width: 0;
      flex-direction: column;
    }
    .root[data-view='conversation'] .list-pane {
      display: none;
    }
    .root[data-view='conversation'] .conversation-pane {
      display: flex;
    }
    /* At the foot of the messenger, the status bar's rule is above it. */
    .connection-status::part(banner),
    .connection-status::part(storage-notice) {
      border-bottom: none;
      border-top: 1px solid var(--im-color-border);
    }
    .placeholder {
      margin: auto;
      padding: 24px;
      color: var(--im-color-muted);
      text-align: center;
    }
    @container im-chat (min-width: 768px) {
      .root[data-view] .list-pane {
        display: flex;
        flex: none;
        width: clamp(260px, 32%, 360px);
        border-inline-end: 1px solid var(--im-color-border);
      }
      .root[data-view] .conversation-pane {
        display: flex;
      }
    }
    .icon-button:disabled {
      opacity: 0.4;
      cursor: default;
    }
  `,
];
