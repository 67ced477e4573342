import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      container: im-selection-bar / inline-size;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
      min-height: var(--im-selection-bar-height, 56px);
      padding: 8px 12px;
      border-top: 1px solid var(--im-color-border);
      background: var(--im-color-bg);
    }
    .count {
      flex: 1;
      min-width: 7em;
      margin: 0;
      font-weight: 600;
    }
    .count.full {
      color: var(--im-color-danger);
      font-weight: normal;
    }
    .actions {
      display: flex;
      gap: 4px;
    }
    .action {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-height: 36px;
      padding: 6px 10px;
      border: none;
      border-radius: 8px;
      background: transparent;
      color: var(--im-color-accent-text);
      cursor: pointer;
    }
    .action:hover:not(:disabled) {
      background: var(--im-color-surface-hover);
    }
    .action:disabled {
      color: var(--im-color-muted);
      cursor: default;
    }
    .action.danger:not(:disabled) {
      color: var(--im-color-danger);
    }
    .action.cancel {
      color: var(--im-color-text);
    }
    .action svg {
      flex: none;
      width: 20px;
      height: 20px;
      fill: currentColor;
    }
    /* A phone's width: each action its icon over a short label, spread across the bar. */
    @container im-selection-bar (max-width: 520px) {
      .count {
        flex-basis: 100%;
        text-align: center;
      }
      .actions {
        flex: 1;
        justify-content: space-around;
      }
      .action {
        flex-direction: column;
        gap: 2px;
        padding: 4px 8px;
        font-size: 0.8em;
      }
    }
    .failure {
      flex-basis: 100%;
      margin: 0;
      color: var(--im-color-danger);
      font-size: 0.9em;
    }
    .by-hand {
      display: flex;
      flex-direction: column;
      gap: 6px;
      flex-basis: 100%;
    }
    .by-hand p {
      margin: 0;
      color: var(--im-color-muted);
      font-size: 0.9em;
    }
    .by-hand textarea {
      width: 100%;
      min-height: 6em;
      max-height: 30vh;
      padding: 6px 8px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
      resize: vertical;
    }
  `,
];
