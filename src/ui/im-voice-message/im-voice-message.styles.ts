import { css } from 'lit';
import { shared } from '../styles/tokens.js';

export const styles = [
  shared,
  css`
    :host {
      display: block;
      width: 260px;
      max-width: 100%;
    }
    .voice {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .play {
      flex: none;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 36px;
      height: 36px;
      padding: 0;
      border: none;
      border-radius: 50%;
      background: var(--im-color-accent);
      color: var(--im-color-on-accent);
      cursor: pointer;
    }
    .play svg {
      width: 22px;
      height: 22px;
      fill: currentColor;
    }
    .waveform {
      flex: 1 1 0;
      min-width: 60px;
      height: 28px;
      cursor: pointer;
      touch-action: none;
      border-radius: 4px;
    }
    .waveform svg {
      display: block;
      width: 100%;
      height: 100%;
    }
    /* Time runs along the line of text: from the right in right-to-left text. */
    :host(:dir(rtl)) .waveform svg {
      transform: scaleX(-1);
    }
    rect {
      fill: var(--im-voice-bar, color-mix(in srgb, currentColor 40%, transparent));
    }
    rect.played {
      fill: var(--im-voice-bar-played, currentColor);
    }
    .time {
      font-size: 0.8em;
      font-variant-numeric: tabular-nums;
    }
    .speed {
      min-width: 36px;
      padding: 2px 6px;
      border: 1px solid currentColor;
      border-radius: 999px;
      background: transparent;
      color: inherit;
      font: inherit;
      font-size: 0.75em;
      cursor: pointer;
    }
    .unavailable {
      flex-basis: 100%;
      font-size: 0.8em;
    }
    /* Beside the time: not played yet, like the unread mark of a chat. */
    .unplayed {
      flex: none;
      width: 8px;
      height: 8px;
      margin-inline-start: -4px;
      border-radius: 50%;
      background: var(--im-voice-unplayed, var(--im-color-accent-text));
    }
    .heard {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      margin-inline-start: -4px;
      opacity: 0.55;
    }
    .heard svg {
      width: 16px;
      height: 16px;
      fill: currentColor;
    }
    .heard.yes {
      opacity: 1;
      color: var(--im-voice-heard, inherit);
    }
    .played-by {
      padding: 2px 6px;
      /* Outlined, not filled: a tint would lighten the bubble behind the small text below 4.5:1. */
      border: 1px solid color-mix(in srgb, currentColor 45%, transparent);
      border-radius: 999px;
      background: none;
      font: inherit;
      font-size: 0.75em;
      cursor: pointer;
    }
    .players {
      flex-basis: 100%;
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.8em;
    }
    .players li + li {
      margin-top: 2px;
    }
  `,
];
