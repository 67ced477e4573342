import { css } from 'lit';
import { shared } from '../styles/tokens.js';

/** What every part of the panel shares: sections, forms, buttons, notes, badges. */
export const partStyles = [
  shared,
  css`
    :host {
      display: block;
    }
    :host([hidden]),
    [hidden] {
      display: none !important;
    }
    section {
      padding: 12px 18px;
    }
    section + section {
      border-top: 1px solid var(--im-color-border);
    }
    h3 {
      margin: 0 0 8px;
      font-size: 1em;
      font-weight: 600;
    }
    p {
      margin: 0;
    }
    .note {
      margin: 6px 0;
      color: var(--im-color-muted);
      font-size: 0.92em;
    }
    .error {
      margin: 6px 0;
      color: var(--im-color-danger);
      font-size: 0.92em;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 10px;
    }
    .button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-height: 34px;
      padding: 6px 14px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
      cursor: pointer;
    }
    .button:hover:not(:disabled) {
      background: var(--im-color-surface-hover);
    }
    .button.primary {
      border-color: var(--im-color-accent);
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
    }
    .button.primary:hover:not(:disabled) {
      background: var(--im-color-accent);
      filter: brightness(1.08);
    }
    .button.danger {
      color: var(--im-color-danger);
    }
    .button:disabled,
    .icon-button:disabled,
    input:disabled {
      opacity: 0.55;
      cursor: default;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 12px;
    }
    .field > label,
    legend {
      font-weight: 500;
    }
    input[type='text'],
    input[type='url'],
    input[type='search'],
    input[type='number'],
    textarea,
    select {
      width: 100%;
      padding: 7px 10px;
      border: 1px solid var(--im-color-border);
      border-radius: 8px;
      background: var(--im-color-surface);
      color: var(--im-color-text);
      font: inherit;
    }
    textarea {
      min-height: 4.5em;
      resize: vertical;
    }
    [aria-invalid='true'] {
      border-color: var(--im-color-danger);
    }
    /* Drawn with the tokens, so that they follow the theme (native ones follow the system). */
    input[type='checkbox'],
    input[type='radio'] {
      appearance: none;
      display: inline-grid;
      place-content: center;
      flex: none;
      width: 18px;
      height: 18px;
      margin: 1px 0 0;
      border: 2px solid var(--im-color-muted);
      border-radius: 4px;
      background: var(--im-color-bg);
      cursor: pointer;
    }
    input[type='radio'] {
      border-radius: 50%;
    }
    input[type='checkbox']:checked,
    input[type='radio']:checked {
      border-color: var(--im-color-accent-text);
    }
    input[type='checkbox']:checked {
      background: var(--im-color-accent-text);
    }
    input[type='checkbox']:checked::before {
      content: '';
      width: 5px;
      height: 9px;
      border: solid var(--im-color-bg);
      border-width: 0 2px 2px 0;
      transform: translateY(-1px) rotate(45deg);
    }
    input[type='radio']:checked::before {
      content: '';
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--im-color-accent-text);
    }
    input[role='switch'] {
      position: relative;
      width: 36px;
      height: 20px;
      border: none;
      border-radius: 999px;
      background: var(--im-color-border);
    }
    input[role='switch']::before,
    input[role='switch']:checked::before {
      content: '';
      position: absolute;
      top: 2px;
      inset-inline-start: 2px;
      width: 16px;
      height: 16px;
      border: none;
      border-radius: 50%;
      background: var(--im-color-bg);
      transform: none;
      transition: transform 0.15s;
    }
    input[role='switch']:checked {
      background: var(--im-color-accent-text);
    }
    input[role='switch']:checked::before {
      transform: translateX(16px);
    }
    input[role='switch']:checked:dir(rtl)::before {
      transform: translateX(-16px);
    }
    @media (prefers-reduced-motion: reduce) {
      input[role='switch']::before {
        transition: none;
      }
    }
    .badge {
      flex: none;
      padding: 1px 8px;
      border-radius: 999px;
      background: var(--im-color-surface);
      border: 1px solid var(--im-color-border);
      color: var(--im-color-muted);
      font-size: 0.8em;
      line-height: 1.5;
    }
    .badge.owner,
    .badge.admin {
      border-color: var(--im-color-accent);
      color: var(--im-color-text);
    }
    .badge.muted {
      border-color: var(--im-color-danger);
      color: var(--im-color-danger);
    }
    .person {
      display: flex;
      align-items: center;
      gap: 10px;
      min-width: 0;
      --im-avatar-size: 36px;
    }
    .person .name {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  `,
];

/** The panel itself: a modal drawer on the inline end when there is room, the whole window below that. */
export const styles = [
  shared,
  css`
    :host {
      display: contents;
    }
    dialog {
      position: fixed;
      inset-block: 0;
      inset-inline: auto 0;
      width: min(440px, 100%);
      max-width: 100%;
      height: 100%;
      max-height: 100%;
      margin: 0;
      padding: 0;
      border: none;
      border-inline-start: 1px solid var(--im-color-border);
      background: var(--im-color-bg);
      color: var(--im-color-text);
      font-family: var(--im-font);
      font-size: var(--im-font-size);
      line-height: 1.35;
      box-shadow: 0 0 40px rgb(0 0 0 / 0.25);
    }
    @media (max-width: 600px) {
      dialog {
        width: 100%;
        border: none;
      }
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
      gap: 10px;
      min-height: 56px;
      padding-block: 8px;
      padding-inline: 18px 8px;
      border-bottom: 1px solid var(--im-color-border);
    }
    h2 {
      flex: 1;
      margin: 0;
      font-size: 1.1em;
    }
    [role='tablist'] {
      display: flex;
      gap: 4px;
      padding: 0 12px;
      border-bottom: 1px solid var(--im-color-border);
    }
    [role='tab'] {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 10px 12px;
      border: none;
      border-bottom: 3px solid transparent;
      background: transparent;
      color: var(--im-color-muted);
      cursor: pointer;
    }
    [role='tab'][aria-selected='true'] {
      border-bottom-color: var(--im-color-accent-text);
      color: var(--im-color-text);
      font-weight: 600;
    }
    [role='tab']:focus-visible {
      outline-offset: -2px;
    }
    .count {
      min-width: 20px;
      padding: 0 6px;
      border-radius: 999px;
      background: var(--im-color-badge);
      color: var(--im-color-on-badge);
      font-size: 0.8em;
      font-weight: 600;
      text-align: center;
    }
    [role='tabpanel'] {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    [role='tabpanel'].members {
      display: flex;
      flex-direction: column;
      overflow: hidden;
    }
    [role='tabpanel'][hidden] {
      display: none;
    }
    .join-requests {
      flex: none;
      max-height: 40%;
      overflow-y: auto;
      border-bottom: 1px solid var(--im-color-border);
    }
    .member-list {
      flex: 1;
      min-height: 0;
    }
  `,
];
