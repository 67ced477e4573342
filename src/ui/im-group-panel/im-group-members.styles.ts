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
      padding: 6px 12px 6px 18px;
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
      margin: 4px 0 6px 46px;
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
