import { css } from 'lit';

/** A chat history card, in a bubble of the list and in a history's own view. */
export const historyCardStyles = css`
  .history-card {
    display: flex;
    flex-direction: column;
    gap: 2px;
    width: min(280px, 100%);
    padding: 2px 0;
    border: none;
    background: none;
    color: inherit;
    text-align: start;
    cursor: pointer;
  }
  .history-title {
    font-weight: 600;
  }
  .history-lines {
    display: flex;
    flex-direction: column;
    font-size: 0.88em;
    opacity: 0.8;
  }
  .history-line {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .history-footer {
    margin-top: 4px;
    padding-top: 4px;
    border-top: 1px solid color-mix(in srgb, currentColor 25%, transparent);
    font-size: 0.8em;
    opacity: 0.75;
  }
`;
