/**
 * The `part`s that each element passes up with `exportparts`, so that a page reaches
 * every visible part from outside as `im-chat::part(name)`. One list per element that
 * others nest; an element that nests another exports its own parts plus the inner ones.
 */

/** What `<im-message-list>` renders: its rows, bubbles and buttons. */
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
  'bot-badge',
  'message-menu-button',
  'unread-divider',
  'unread-button',
  'new-messages-button',
  'avatar',
] as const;

/** What `<im-composer>` renders, and the composer itself. */
export const composerParts = [
  'composer',
  'input',
  'send-button',
  'emoji-button',
  'attach-button',
  'compose-context',
  'mentions',
  'uploads',
  'upload',
  'upload-progress',
  'drop-hint',
] as const;

/** What `<im-message-pane>` renders (its header) and passes up from its list and composer. */
export const messagePaneParts = [
  'header',
  'presence',
  'typing',
  'announcement',
  'blocked-note',
  ...messageListParts,
  ...composerParts,
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
