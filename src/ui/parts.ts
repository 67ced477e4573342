/**
 * The `part`s that each element passes up with `exportparts`, so that a page reaches
 * every visible part from outside as `im-chat::part(name)`. One list per element that
 * others nest; an element that nests another exports its own parts plus the inner ones.
 */

/** What `<im-attachment>` renders: an image, a video or a file card. */
export const attachmentParts = [
  'thumbnail',
  'image',
  'lightbox',
  'full-image',
  'close-button',
  'placeholder',
  'video-box',
  'video',
  'video-duration',
  'file',
  'file-icon',
  'file-name',
  'file-size',
  'download',
] as const;

/** What `<im-voice-message>` renders. */
export const voiceParts = [
  'voice',
  'voice-play',
  'voice-waveform',
  'voice-time',
  'voice-speed',
  'voice-unplayed',
  'voice-played',
  'voice-players',
] as const;

/** What `<im-message-list>` renders: its rows, bubbles and buttons, and what messages carry. */
export const messageListParts = [
  'message-list',
  'bubble',
  'own-bubble',
  'highlight',
  'day',
  'event',
  'failure',
  'quote',
  'link',
  'code',
  'code-block',
  'text-quote',
  'text-list',
  'bot-badge',
  'message-menu-button',
  'reactions',
  'reaction-chip',
  'own-reaction-chip',
  'reaction-button',
  'unread-divider',
  'unread-button',
  'new-messages-button',
  'avatar',
  'contact-card',
  'history-card',
  'select-checkbox',
  ...attachmentParts,
  ...voiceParts,
] as const;

/** What `<im-composer>` renders, and the composer itself. */
export const composerParts = [
  'composer',
  'input',
  'send-button',
  'emoji-button',
  'format-button',
  'format-toolbar',
  'attach-button',
  'share-contact-button',
  'more-button',
  'more-menu',
  'record-button',
  'recorder',
  'compose-context',
  'mentions',
  'uploads',
  'upload',
  'upload-progress',
  'drop-hint',
] as const;

/** What `<im-selection-bar>` renders. */
export const selectionBarParts = ['selection-bar', 'selection-action'] as const;

/** What `<im-history-view>` renders: its messages carry what messages of the list do. */
export const historyViewParts = [
  'history-view',
  'history-item',
  'history-card',
  'link',
  'code',
  'code-block',
  'text-quote',
  'text-list',
  'contact-card',
  ...attachmentParts,
  ...voiceParts,
] as const;

/** What `<im-message-pane>` renders (its header) and passes up from its list and composer. */
export const messagePaneParts = [
  'header',
  'presence',
  'typing',
  'announcement',
  'announcement-toggle',
  'announcement-confirm',
  'blocked-note',
  ...messageListParts,
  ...composerParts,
  ...selectionBarParts,
  ...historyViewParts,
] as const;

/** What `<im-conversation-list>` renders. */
export const conversationListParts = [
  'conversation',
  'conversation-row',
  'avatar',
  'badge',
  'filter',
  'mentioned',
  'assignee',
] as const;

/** The value of an `exportparts` attribute that passes these parts up under their own names. */
export function exportParts(...lists: ReadonlyArray<readonly string[]>): string {
  return [...new Set(lists.flat())].join(', ');
}
