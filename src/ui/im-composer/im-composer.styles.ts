import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      position: relative;
      display: block;
      padding: 8px 12px 10px;
      border-top: 1px solid var(--im-color-border);
      background: var(--im-color-bg);
    }
    form {
      display: flex;
      align-items: flex-end;
      gap: 8px;
    }
    /* A narrow composer gives the field what it can. */
    form.compact {
      gap: 4px;
    }
    textarea {
      flex: 1;
      min-width: 0;
      min-height: 40px;
      max-height: 160px;
      field-sizing: content;
      resize: none;
      padding: 9px 12px;
      border: 1px solid var(--im-color-border);
      border-radius: calc(var(--im-radius) + 8px);
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
      line-height: 1.4;
    }
    textarea:focus-visible {
      outline: 2px solid var(--im-color-focus);
      outline-offset: 0;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--im-color-danger);
    }
    .send {
      flex: none;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 40px;
      height: 40px;
      border: none;
      border-radius: 50%;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      cursor: pointer;
    }
    .send:disabled {
      background: var(--im-color-surface-hover);
      color: var(--im-color-muted);
      cursor: default;
    }
    .send svg {
      width: 20px;
      height: 20px;
      fill: currentColor;
    }
    /* A held record button follows the finger without the page scrolling or selecting. */
    .send.record,
    .send.holding {
      touch-action: none;
      user-select: none;
      -webkit-user-select: none;
    }
    .send.holding {
      transform: scale(1.2);
      background: var(--im-color-danger);
      color: #fff;
    }
    /* While recording, the recording takes the field's place. */
    form.recording > :not(.recorder, .send) {
      display: none;
    }
    .recorder {
      flex: 1;
      display: flex;
      align-items: center;
      gap: 8px;
      min-height: 40px;
      padding-inline: 8px;
      border-radius: calc(var(--im-radius) + 8px);
      background: var(--im-color-surface);
      color: var(--im-color-text);
    }
    .recorder.cancelling {
      color: var(--im-color-danger);
    }
    .rec-dot {
      flex: none;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--im-color-danger);
      animation: im-rec-blink 1s step-end infinite;
    }
    @keyframes im-rec-blink {
      50% {
        opacity: 0.2;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .rec-dot {
        animation: none;
      }
    }
    .rec-time {
      font-variant-numeric: tabular-nums;
    }
    .rec-levels {
      flex: 1;
      min-width: 0;
      height: 24px;
      fill: currentColor;
    }
    .rec-hint {
      flex: none;
      font-size: 0.85em;
      color: var(--im-color-muted);
    }
    .recorder.cancelling .rec-hint {
      color: inherit;
    }
    [role='listbox'] {
      position: absolute;
      inset-inline: 12px;
      bottom: calc(100% - 4px);
      max-height: 260px;
      overflow-y: auto;
      margin: 0;
      padding: 4px 0;
      list-style: none;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-radius);
      background: var(--im-color-bg);
      box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
      z-index: 1;
    }
    [role='option'] {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 6px 12px;
      cursor: pointer;
      --im-avatar-size: 26px;
    }
    [role='option'][aria-selected='true'],
    [role='option']:hover {
      background: var(--im-color-selected);
    }
    .feedback {
      padding-inline: 12px;
      font-size: 0.85em;
      color: var(--im-color-danger);
    }
    .context {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-bottom: 6px;
      padding-block: 4px;
      padding-inline: 10px 4px;
      border-inline-start: 3px solid var(--im-color-accent);
      border-radius: 4px;
      background: var(--im-color-surface);
      font-size: 0.9em;
    }
    .context-text {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .format-toggle span {
      font-weight: 600;
      font-size: 0.95em;
      line-height: 1;
    }
    .format-toggle[aria-expanded='true'] {
      background: var(--im-color-selected);
    }
    .format-toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 2px;
      margin-bottom: 6px;
    }
    .format-toolbar button {
      min-width: 34px;
      height: 32px;
      padding: 0 8px;
      border: 0;
      border-radius: 6px;
      background: transparent;
      cursor: pointer;
    }
    .format-toolbar button:hover {
      background: var(--im-color-surface-hover);
    }
    .format.bold {
      font-weight: 700;
    }
    .format.italic {
      font-style: italic;
      font-family: Georgia, serif;
    }
    .format.strike {
      text-decoration: line-through;
    }
    .format:is(.code, .codeBlock) {
      font-family: ui-monospace, Menlo, Consolas, monospace;
      font-size: 0.85em;
    }
    .emoji-picker {
      position: absolute;
      bottom: calc(100% + 4px);
      inset-inline-start: 8px;
      z-index: 5;
    }
  `,
];
