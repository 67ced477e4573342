import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .scroller {
      flex: 1;
      overflow-y: auto;
      overscroll-behavior: contain;
      padding: 12px 12px 8px;
    }
    .scroller:focus-visible {
      outline-offset: -2px;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .note {
      margin: 8px 0;
      text-align: center;
      font-size: 0.85em;
      color: var(--im-color-muted);
    }
    .note.empty {
      margin-top: 40px;
    }
    .day {
      display: flex;
      justify-content: center;
      margin: 14px 0 8px;
    }
    .day span {
      padding: 2px 10px;
      border-radius: 999px;
      background: var(--im-color-surface);
      color: var(--im-color-muted);
      font-size: 0.8em;
    }
    .message {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      margin-top: 2px;
    }
    .message.group-start {
      margin-top: 10px;
    }
    .message.own {
      justify-content: flex-end;
    }
    .content {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      min-width: 0;
      max-width: min(75%, 560px);
    }
    .own .content {
      align-items: flex-end;
    }
    .sender-avatar {
      --im-avatar-size: 30px;
    }
    .sender-avatar.spacer {
      visibility: hidden;
      height: 0;
    }
    .sender {
      margin: 0 0 2px 4px;
      font-size: 0.8em;
      font-weight: 600;
      color: var(--im-color-muted);
    }
    .bubble {
      max-width: 100%;
      padding: 7px 11px 5px;
      border-radius: var(--im-radius);
      background: var(--im-color-bubble);
      color: var(--im-color-bubble-text);
      line-height: 1.4;
    }
    .own .bubble {
      background: var(--im-color-bubble-own);
      color: var(--im-color-bubble-own-text);
    }
    .mentions-me .bubble {
      background: color-mix(in srgb, var(--im-color-accent) 16%, var(--im-color-bubble));
      box-shadow: inset 3px 0 0 var(--im-color-accent);
    }
    .event {
      margin: 10px 24px;
      text-align: center;
      font-size: 0.82em;
      color: var(--im-color-muted);
    }
    .other.group-start .bubble {
      border-top-left-radius: 4px;
    }
    .own.group-start .bubble {
      border-top-right-radius: 4px;
    }
    .pending .bubble {
      opacity: 0.75;
    }
    .failed .bubble {
      outline: 1px solid var(--im-color-danger);
    }
    .text {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .meta {
      display: inline-flex;
      align-items: center;
      gap: 3px;
      float: inline-end;
      margin: 6px 0 -2px 10px;
      font-size: 0.75em;
    }
    .state svg {
      width: 13px;
      height: 13px;
      fill: currentColor;
    }
    .failure {
      display: flex;
      align-items: center;
      gap: 8px;
      margin-top: 4px;
      font-size: 0.82em;
      color: var(--im-color-danger);
    }
    .failure svg {
      width: 14px;
      height: 14px;
      fill: currentColor;
      vertical-align: -2px;
    }
    .failure button {
      padding: 2px 8px;
      border: 1px solid currentColor;
      border-radius: 999px;
      background: transparent;
      cursor: pointer;
    }
    .failure .discard {
      color: var(--im-color-muted);
    }
  `,
];
