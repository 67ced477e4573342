import { css } from 'lit';
import { partStyles } from './im-group-panel.styles.js';

export const membersStyles = [
  partStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .toolbar {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 10px 18px;
    }
    .load-error {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 0 18px;
    }
    .list {
      flex: 1;
      min-height: 0;
    }
    .list:focus-visible {
      outline-offset: -2px;
    }
    .member {
      width: 100%;
      padding-block: 6px;
      padding-inline: 18px 12px;
    }
    .member .person {
      min-height: 40px;
    }
    .menu-space {
      flex: none;
      width: 36px;
    }
    .menu {
      display: flex;
      flex-direction: column;
      margin-block: 4px 6px;
      margin-inline: 46px 0;
      padding: 4px 0;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
    }
    [role='menuitem'] {
      padding: 8px 14px;
      border: none;
      background: transparent;
      text-align: start;
      cursor: pointer;
    }
    [role='menuitem']:hover,
    [role='menuitem']:focus-visible {
      background: var(--im-color-surface-hover);
    }
    [role='menuitem']:focus-visible {
      outline-offset: -2px;
    }
    [role='menuitem'].danger {
      color: var(--im-color-danger);
    }
    [role='separator'] {
      margin-block: 4px;
      border-block-start: 1px solid var(--im-color-border);
    }
    .badge.blocked {
      border-color: var(--im-color-danger);
      color: var(--im-color-danger);
    }
    .member .error {
      margin-inline-start: 46px;
    }
    .loading:empty {
      display: none;
    }
    .loading {
      padding: 0 18px;
    }
  `,
];
