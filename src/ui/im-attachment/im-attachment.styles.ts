import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: inline-block;
      max-width: 100%;
      vertical-align: top;
    }
    .thumbnail {
      display: block;
      max-width: 100%;
      padding: 0;
      border: none;
      border-radius: var(--im-attachment-radius, calc(var(--im-radius) - 4px));
      overflow: hidden;
      background: var(--im-attachment-placeholder, var(--im-color-surface));
      cursor: zoom-in;
    }
    .thumbnail img {
      display: block;
      max-width: 100%;
      /* With the width and height attributes, the box has its final shape before any byte arrives. */
      height: auto;
    }
    .placeholder {
      position: relative;
      display: block;
      max-width: 100%;
      border-radius: var(--im-attachment-radius, calc(var(--im-radius) - 4px));
      background: var(--im-attachment-placeholder, var(--im-color-surface));
      color: var(--im-color-muted);
    }
    .video-box {
      position: relative;
      display: block;
      max-width: 100%;
      border-radius: var(--im-attachment-radius, calc(var(--im-radius) - 4px));
      overflow: hidden;
      background: #000;
    }
    .video-box .spacer {
      display: block;
      max-width: 100%;
      height: auto;
    }
    .video-box video {
      position: absolute;
      inset: 0;
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    .duration {
      position: absolute;
      inset-block-start: 6px;
      inset-inline-start: 6px;
      padding: 1px 6px;
      border-radius: 999px;
      background: rgb(0 0 0 / 0.6);
      color: #fff;
      font-size: 0.75em;
      font-variant-numeric: tabular-nums;
      pointer-events: none;
    }
    .placeholder .spacer {
      display: block;
      max-width: 100%;
      height: auto;
    }
    .placeholder-content {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      gap: 4px;
      overflow: hidden;
      font-size: 0.85em;
    }
    .placeholder-icon svg {
      width: 32px;
      height: 32px;
      fill: currentColor;
    }
    .card {
      display: flex;
      align-items: center;
      gap: 10px;
      min-width: 200px;
      max-width: var(--im-attachment-card-width, 280px);
      padding-block: 8px;
      padding-inline: 10px 8px;
      border: 1px solid var(--im-color-border);
      border-radius: var(--im-attachment-radius, calc(var(--im-radius) - 4px));
      background: var(--im-color-bg);
      color: var(--im-color-text);
    }
    .card svg {
      width: 24px;
      height: 24px;
      fill: currentColor;
    }
    .file-icon {
      flex: none;
      display: inline-flex;
      color: var(--im-color-accent-text);
    }
    .meta {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 500;
    }
    .size {
      font-size: 0.85em;
      color: var(--im-color-muted);
    }
    .download {
      flex: none;
      display: inline-flex;
      padding: 6px;
      border-radius: 999px;
      color: inherit;
    }
    .download:hover {
      background: var(--im-color-surface-hover);
    }
    .download[aria-disabled='true'] {
      color: var(--im-color-muted);
      pointer-events: none;
    }
    dialog {
      max-width: 100vw;
      max-height: 100vh;
      padding: 0;
      border: none;
      background: transparent;
      overflow: visible;
    }
    dialog::backdrop {
      background: var(--im-attachment-backdrop, rgb(0 0 0 / 0.8));
    }
    dialog img {
      display: block;
      max-width: 92vw;
      max-height: 88vh;
      width: auto;
      height: auto;
    }
    .close {
      position: fixed;
      top: 12px;
      inset-inline-end: 12px;
      color: #fff;
      background: rgb(0 0 0 / 0.5);
    }
    .close:hover {
      background: rgb(0 0 0 / 0.7);
    }
  `,
];
