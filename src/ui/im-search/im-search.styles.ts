import { css } from 'lit';
import { dialogStyles } from '../styles/dialog.js';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  dialogStyles,
  css`
    dialog {
      width: min(560px, calc(100% - 32px));
    }
    input[type='search'] {
      margin: 8px 16px 4px;
    }
    .scope {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 4px 18px;
      color: var(--im-color-muted);
    }
    .note {
      margin: 6px 18px;
      color: var(--im-color-muted);
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 4px 0 10px;
      overflow-y: auto;
    }
    .result {
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 8px 18px;
      cursor: pointer;
    }
    .result[aria-selected='true'] {
      background: var(--im-color-selected);
    }
    .meta {
      display: flex;
      justify-content: space-between;
      gap: 12px;
    }
    .conversation {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    time {
      flex: none;
      color: var(--im-color-muted);
      font-size: 0.85em;
    }
    .excerpt {
      color: var(--im-color-muted);
      overflow-wrap: anywhere;
    }
    .sender {
      color: var(--im-color-text);
    }
    mark {
      border-radius: 3px;
      background: color-mix(in srgb, var(--im-color-accent) 22%, transparent);
      color: var(--im-color-text);
    }
    .more {
      align-self: center;
      margin: 0 0 12px;
    }
  `,
];
