import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      font-family: var(--im-font);
      font-size: var(--im-font-size);
      line-height: 1.35;
      color: var(--im-color-text);
    }
    .launcher,
    .panel {
      position: fixed;
      z-index: var(--im-z-index, 2147483000);
      /* Clear of a phone's rounded corners, notch and home indicator (0 elsewhere). */
      bottom: calc(var(--im-launcher-offset-y, 20px) + env(safe-area-inset-bottom, 0px));
      right: calc(var(--im-launcher-offset-x, 20px) + env(safe-area-inset-right, 0px));
    }
    :host([position='left']) .launcher,
    :host([position='left']) .panel {
      right: auto;
      left: calc(var(--im-launcher-offset-x, 20px) + env(safe-area-inset-left, 0px));
    }
    .launcher {
      display: grid;
      place-items: center;
      width: var(--im-launcher-size, 56px);
      height: var(--im-launcher-size, 56px);
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      box-shadow: 0 6px 20px rgb(0 0 0 / 0.22);
      cursor: pointer;
      transition: transform 120ms ease;
    }
    .launcher:hover {
      transform: scale(1.05);
    }
    .launcher svg {
      width: 28px;
      height: 28px;
      fill: currentColor;
    }
    .badge {
      position: absolute;
      top: -2px;
      inset-inline-end: -2px;
      min-width: 22px;
      height: 22px;
      padding: 0 6px;
      border-radius: 11px;
      background: var(--im-color-badge);
      color: var(--im-color-on-badge);
      font-size: 12px;
      font-weight: 700;
      line-height: 22px;
      text-align: center;
      border: 2px solid var(--im-color-bg);
    }
    .panel {
      bottom: calc(var(--im-launcher-offset-y, 20px) + var(--im-launcher-size, 56px) + 14px);
      display: flex;
      flex-direction: column;
      width: min(var(--im-panel-width, 380px), calc(100vw - 2 * var(--im-launcher-offset-x, 20px)));
      height: min(var(--im-panel-height, 600px), calc(100dvh - var(--im-launcher-size, 56px) - 2 * var(--im-launcher-offset-y, 20px) - 24px));
      overflow: hidden;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-radius);
      background: var(--im-color-bg);
      box-shadow: 0 12px 40px rgb(0 0 0 / 0.25);
      container: im-chat / inline-size;
      overscroll-behavior: contain;
    }
    .panel[hidden] {
      display: none;
    }
    .message-pane {
      flex: 1;
      min-height: 0;
    }
    .actions {
      display: flex;
      align-items: center;
    }
    .header {
      display: flex;
      align-items: center;
      gap: 10px;
      min-height: 56px;
      padding-block: 8px;
      padding-inline: 16px 12px;
      border-bottom: 1px solid var(--im-color-border);
    }
    .title {
      flex: 1;
      min-width: 0;
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
      font-weight: 600;
    }
    .subtitle {
      margin: 1px 0 0;
      font-size: 0.82em;
      color: var(--im-color-muted);
    }
    .body {
      flex: 1;
      overflow-y: auto;
    }
    .greeting {
      margin: 12px 16px 0;
      padding: 10px 12px;
      border-radius: var(--im-radius);
      background: var(--im-color-surface);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    im-message-pane .greeting {
      margin: 10px 12px 0;
    }
    .note {
      margin: 24px 16px;
      text-align: center;
      color: var(--im-color-muted);
    }
    .note.error {
      color: var(--im-color-danger);
    }
    /* Phones: the panel is the whole screen, above the on-screen keyboard. */
    @media (max-width: 639px) {
      .panel {
        inset: var(--im-viewport-top, 0) 0 auto 0;
        width: 100%;
        height: var(--im-viewport-height, 100dvh);
        border: 0;
        border-radius: 0;
      }
      :host([position='left']) .panel {
        left: 0;
      }
      :host([open]) .launcher {
        display: none;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .launcher {
        transition: none;
      }
    }
  `,
];
