import { css } from 'lit';

/** The look of the widget's modal dialogs: box, header, fields and buttons. */
export const dialogStyles = css`
  dialog {
    width: min(440px, calc(100% - 32px));
    max-height: min(640px, calc(100% - 32px));
    padding: 0;
    border: 1px solid var(--im-color-border);
    border-radius: var(--im-radius);
    background: var(--im-color-bg);
    color: var(--im-color-text);
    font: inherit;
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
  }
  dialog[open] {
    display: flex;
    flex-direction: column;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.35);
  }
  .header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 10px 10px 4px 18px;
  }
  h2 {
    margin: 0;
    font-size: 1.1em;
  }
  input:not([type='checkbox']):not([type='radio']),
  textarea,
  select {
    padding: 8px 12px;
    border: 1px solid var(--im-color-border);
    border-radius: 8px;
    background: var(--im-color-surface);
    color: var(--im-color-text);
    font: inherit;
  }
  textarea {
    resize: vertical;
  }
  .primary,
  .secondary {
    padding: 7px 16px;
    border-radius: 999px;
    font-weight: 600;
    cursor: pointer;
  }
  .primary {
    border: 1px solid var(--im-color-accent);
    background: var(--im-color-accent);
    color: var(--im-color-on-accent);
  }
  .secondary {
    border: 1px solid var(--im-color-border);
    background: transparent;
  }
  .primary:disabled,
  .secondary:disabled {
    opacity: 0.5;
    cursor: default;
  }
`;
