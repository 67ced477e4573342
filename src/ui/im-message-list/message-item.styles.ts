import { css } from 'lit';

/** Rows of the message list (see message-item.ts): separators, events and bubbles. */
export const messageItemStyles = css`
  .note {
    margin: 8px 0;
    text-align: center;
    font-size: 0.85em;
    color: var(--im-color-muted);
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
  .unread-divider {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 12px 0 4px;
    color: var(--im-color-accent-text);
    font-size: 0.8em;
    font-weight: 600;
  }
  .unread-divider::before,
  .unread-divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
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
  /* The focused message of the list (one Tab stop, arrows move): drawn inside the row, as
     the scroller clips what lies outside it. */
  .message:focus-visible,
  .event:focus-visible {
    outline: 2px solid var(--im-color-focus);
    outline-offset: -2px;
    border-radius: calc(var(--im-radius) / 2);
  }
  .message.own {
    justify-content: flex-end;
  }
  /* Selection mode: the row takes the click, a box at its start says whether it is picked. */
  .message.selecting {
    cursor: pointer;
    border-radius: calc(var(--im-radius) / 2);
  }
  .message.selecting .content,
  .message.selecting .sender-avatar {
    pointer-events: none;
  }
  .message.selected {
    background: var(--im-color-selected);
  }
  .select-box {
    display: inline-flex;
    flex: none;
    align-items: center;
    justify-content: center;
    box-sizing: border-box;
    width: 22px;
    height: 22px;
    margin-block: 6px;
    margin-inline: 4px auto;
    border: 2px solid var(--im-color-muted);
    border-radius: 50%;
    color: var(--im-color-on-accent);
  }
  .other .select-box {
    margin-inline-end: 0;
  }
  .selected .select-box {
    border-color: var(--im-color-accent);
    background: var(--im-color-accent);
  }
  .select-box svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
  .select-box:focus-visible {
    outline: 2px solid var(--im-color-focus);
    outline-offset: 2px;
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
  .meta .bot {
    padding: 0 4px;
    border: 1px solid currentColor;
    border-radius: var(--im-radius, 6px);
    font-size: 0.85em;
  }
  .sender {
    margin-block: 0 2px;
    margin-inline: 4px 0;
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
    box-shadow: inset 3px 0 0 var(--im-color-accent-text);
  }
  .highlighted .bubble,
  .event.highlighted span {
    animation: im-highlight 2.5s ease-out;
  }
  @keyframes im-highlight {
    0%,
    40% {
      box-shadow: 0 0 0 3px var(--im-color-focus);
    }
    100% {
      box-shadow: 0 0 0 3px transparent;
    }
  }
  .event {
    margin: 10px 24px;
    text-align: center;
    font-size: 0.82em;
    color: var(--im-color-muted);
  }
  .event span {
    border-radius: 6px;
  }
  .other.group-start .bubble {
    border-start-start-radius: 4px;
  }
  .own.group-start .bubble {
    border-start-end-radius: 4px;
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
    margin-block: 6px -2px;
    margin-inline: 10px 0;
    font-size: 0.75em;
  }
  /* An image fills its bubble, and its time and marks sit over its corner, as in photo messengers. */
  .bubble.media {
    position: relative;
    padding: 3px;
  }
  .bubble.media im-attachment {
    display: block;
  }
  /* Over a video, the time sits at the top: the player's own controls take the foot. */
  .bubble.media.video .meta {
    top: 9px;
    bottom: auto;
  }
  .bubble.media .meta {
    position: absolute;
    inset-inline-end: 9px;
    bottom: 9px;
    float: none;
    margin: 0;
    padding: 1px 6px;
    border-radius: 999px;
    background: rgb(0 0 0 / 0.55);
    color: #fff;
    pointer-events: none;
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
  .message {
    position: relative;
    /* Sideways moves are a swipe-to-reply's, up and down the list's scroll. */
    touch-action: pan-y pinch-zoom;
  }
  .message > * {
    transition: transform 150ms ease-out;
  }
  .message.swiping > * {
    transform: translateX(var(--im-swipe-x, 0));
    transition: none;
  }
  /* The reply arrow that a swipe uncovers; full strength once letting go replies. */
  .message.swiping::before {
    content: '\\21A9' / '';
    position: absolute;
    inset-inline-start: 4px;
    align-self: center;
    color: var(--im-color-muted);
    font-size: 1.25em;
    opacity: 0.4;
  }
  .message.swipe-ready::before {
    color: var(--im-color-accent-text);
    opacity: 1;
  }
  @media (prefers-reduced-motion: reduce) {
    .message > * {
      transition: none;
    }
  }
  /* A message's two buttons, or the room they take when they come (see renderActions). */
  .actions {
    display: flex;
    flex: none;
    align-self: center;
    gap: 2px;
    inline-size: 58px;
    block-size: 28px;
  }
  .own .actions {
    order: -1;
  }
  .more,
  .react {
    flex: none;
    width: 28px;
    height: 28px;
    padding: 4px;
    border: 0;
    border-radius: 50%;
    background: none;
    color: var(--im-color-muted);
    fill: currentColor;
    cursor: pointer;
    opacity: 0;
  }
  .message:hover .more,
  .message:hover .react,
  .more:focus-visible,
  .react:focus-visible,
  .message:focus-within .more,
  .message:focus-within .react {
    opacity: 1;
  }
  .more:focus-visible,
  .react:focus-visible {
    outline: 2px solid var(--im-color-focus);
  }
  @media (hover: none) {
    .actions {
      display: none;
    }
  }
  /* Reactions: chips under the bubble, wrapping; the user's own ones pressed. */
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 3px;
  }
  .reactions.own {
    justify-content: flex-end;
  }
  .reaction-chip {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: 26px;
    padding: 1px 8px;
    border: 1px solid var(--im-color-border);
    border-radius: 999px;
    background: var(--im-color-bg);
    color: var(--im-color-text);
    font-size: 0.85em;
    line-height: 1;
    cursor: pointer;
    -webkit-touch-callout: none;
    user-select: none;
  }
  .reaction-chip:hover {
    background: var(--im-color-surface-hover);
  }
  .reaction-chip.mine {
    border-color: var(--im-color-accent);
    background: var(--im-color-selected);
  }
  .reaction-emoji {
    font-size: 1.2em;
  }
  .reaction-count {
    font-variant-numeric: tabular-nums;
  }
  /* "More reactions": the emoji picker over the list, closed by a click beside it. */
  .reaction-picker {
    position: fixed;
    inset: 0;
    z-index: 21;
    display: flex;
    align-items: center;
    justify-content: center;
    background: rgb(0 0 0 / 0.12);
  }
  .text a {
    color: inherit;
    text-decoration: underline;
    overflow-wrap: anywhere;
  }
  /* Formatted text: blocks keep the bubble's colours, code has a surface of its own. */
  .text :is(.paragraph, blockquote, ul, ol, pre) {
    margin: 0;
  }
  .text :is(.paragraph, blockquote, ul, ol, pre) + :is(.paragraph, blockquote, ul, ol, pre) {
    margin-top: 4px;
  }
  .text blockquote {
    padding-inline-start: 8px;
    border-inline-start: 3px solid currentColor;
  }
  .text :is(ul, ol) {
    padding-inline-start: 1.4em;
    white-space: normal;
  }
  .text ul {
    list-style: disc;
  }
  .text ol {
    list-style: decimal;
  }
  .text li {
    white-space: pre-wrap;
  }
  .text code {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace;
    font-size: 0.92em;
  }
  .text :not(pre) > code {
    padding: 0 4px;
    border-radius: 4px;
    /* Darker than any bubble: the bubble's text keeps its contrast on it. */
    background: rgb(0 0 0 / 0.14);
  }
  .text pre {
    max-width: 100%;
    overflow-x: auto;
    padding: 8px 10px;
    border-radius: calc(var(--im-radius) / 2);
    background: var(--im-color-code-bg);
    color: var(--im-color-code-text);
    white-space: pre;
    tab-size: 4;
    text-align: left;
  }
  .token:is(.keyword, .builtin, .important, .rule, .deleted) {
    color: var(--im-color-code-keyword);
  }
  .token:is(.string, .char, .regex, .attr-value, .template-string, .url, .inserted) {
    color: var(--im-color-code-string);
  }
  .token:is(.comment, .prolog, .doctype, .cdata) {
    color: var(--im-color-code-comment);
    font-style: italic;
  }
  .token:is(.number, .boolean, .constant, .symbol, .variable, .entity) {
    color: var(--im-color-code-number);
  }
  .token:is(.function, .class-name, .property, .tag, .selector, .attr-name) {
    color: var(--im-color-code-title);
  }
  .token:is(.atrule, .annotation, .decorator, .macro, .directive, .namespace) {
    color: var(--im-color-code-meta);
  }
  .text.emoji-only {
    font-size: 2.4em;
    line-height: 1.15;
  }
  .text.recalled {
    font-style: italic;
    color: var(--im-color-muted);
  }
  .own .text.recalled {
    color: inherit;
    opacity: 0.85;
  }
  .re-edit {
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
    padding: 0;
  }
  .quote {
    display: flex;
    flex-direction: column;
    gap: 1px;
    width: 100%;
    margin: 0 0 4px;
    padding: 4px 8px;
    border: 0;
    border-inline-start: 3px solid currentColor;
    border-radius: 4px;
    background: rgb(0 0 0 / 0.06);
    color: inherit;
    font: inherit;
    font-size: 0.9em;
    text-align: start;
    cursor: pointer;
  }
  .quote-sender {
    font-weight: 600;
  }
  .quote-text {
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
    opacity: 0.85;
  }
  .edited {
    font-style: italic;
  }
  .state.read svg {
    fill: var(--im-color-read, currentColor);
  }
  .state.read-by {
    font-size: 0.85em;
  }
`;
