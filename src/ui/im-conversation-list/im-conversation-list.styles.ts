import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 4px 0;
    }
    .item {
      display: flex;
      gap: 12px;
      align-items: center;
      width: 100%;
      padding: 10px 14px;
      border: none;
      background: transparent;
      text-align: start;
      cursor: pointer;
    }
    .item:hover {
      background: var(--im-color-surface-hover);
    }
    .item.selected {
      background: var(--im-color-selected);
    }
    .item:focus-visible {
      outline-offset: -2px;
    }
    .main {
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
      flex: 1;
    }
    .line {
      display: flex;
      align-items: center;
      gap: 8px;
      min-width: 0;
    }
    .name {
      flex: 1;
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    time {
      flex: none;
      font-size: 0.8em;
      color: var(--im-color-muted);
    }
    /* A block, not a flex box: text-overflow ends only a block's own line with "…". */
    .preview {
      flex: 1;
      display: block;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--im-color-muted);
      font-size: 0.92em;
    }
    .has-unread .preview {
      color: var(--im-color-text);
    }
    .preview .state,
    .preview .draft {
      margin-inline-end: 4px;
    }
    .state svg {
      width: 14px;
      height: 14px;
      fill: currentColor;
      vertical-align: -2px;
    }
    .state.failed {
      color: var(--im-color-danger);
    }
    .mentioned {
      flex: none;
      color: var(--im-color-danger);
      font-size: 0.85em;
      font-weight: 600;
    }
    .assignee {
      flex: none;
      max-width: 40%;
      padding: 0 6px;
      border-radius: 8px;
      background: var(--im-color-surface);
      color: var(--im-color-muted);
      font-size: 0.8em;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .badge {
      flex: none;
      min-width: 20px;
      padding: 1px 6px;
      border-radius: 10px;
      background: var(--im-color-badge);
      color: var(--im-color-on-badge);
      font-size: 0.78em;
      font-weight: 600;
      text-align: center;
    }
    .empty {
      padding: 32px 20px;
      text-align: center;
      color: var(--im-color-muted);
    }
    .empty p {
      margin: 0 0 6px;
    }
    .hint {
      font-size: 0.9em;
    }

    /* One row whatever the width: it scrolls sideways rather than wrap. */
    .filters {
      display: flex;
      gap: 4px;
      padding: 6px 8px;
      overflow-x: auto;
      scrollbar-width: none;
      border-bottom: 1px solid var(--im-color-border);
    }
    .filters button {
      flex: none;
      white-space: nowrap;
      padding: 4px 9px;
      border: 1px solid var(--im-color-border);
      border-radius: 999px;
      background: none;
      color: var(--im-color-muted);
      font: inherit;
      font-size: 0.9em;
      cursor: pointer;
    }
    .filters button[aria-selected='true'] {
      background: var(--im-color-selected);
      border-color: transparent;
      color: var(--im-color-text);
    }
    .filters button:focus-visible {
      outline: 2px solid var(--im-color-focus);
      outline-offset: 1px;
    }
    .empty.filtered {
      padding: 24px 16px;
      color: var(--im-color-muted);
      text-align: center;
    }
    .flag {
      flex: none;
      display: inline-flex;
      width: 14px;
      height: 14px;
      color: var(--im-color-muted);
      fill: currentColor;
    }
    .flag svg {
      width: 100%;
      height: 100%;
    }
    .item.muted .badge {
      background: var(--im-color-muted);
    }
    .badge.dot {
      min-width: 10px;
      width: 10px;
      height: 10px;
      padding: 0;
    }
    .draft {
      color: var(--im-color-danger);
    }
    .failure {
      margin: 0;
      padding: 6px 12px;
      color: var(--im-color-danger);
      font-size: 0.9em;
    }
  `,
];
