/**
 * Every event the widget's elements dispatch, by name, with its detail. Elements send them
 * with `emit()` (see {@link ImElement}), so a name and its detail cannot drift apart.
 */
import type { ComposeRequest } from '../im-message-list/message-menu.js';
import type { EmojiPickDetail } from '../im-emoji-picker/im-emoji-picker.js';
import type { ImErrorDetail, ImMessageDetail, ImReadyDetail, ImUnreadChangeDetail } from '../im-chat/im-chat-events.js';
import type { MenuSelectDetail } from '../im-menu/im-menu.js';
import type { OpenMessageDetail } from '../im-search/im-search.js';
import type { OpenChatDetail } from '../im-contact-card/im-contact-card.js';
import type { OpenHistoryDetail } from '../im-history/im-history-view.js';
import type { UserPickDetail } from '../im-user-picker/im-user-picker.js';
import type { PrechatDetail } from '../im-support-widget/im-prechat-form.js';
import type { RequestCountDetail } from '../im-group-panel/im-group-requests.js';
import type { SelectConversationDetail } from '../im-conversation-list/im-conversation-list.js';

/** The detail of an event that says only that something happened. */
export type NoDetail = Record<string, never>;

export interface ImEventMap {
  // Public: `<im-chat>` tells the host page (bubbling, composed).
  'im-ready': ImReadyDetail;
  'im-message': ImMessageDetail;
  'im-unread-change': ImUnreadChangeDetail;
  'im-error': ImErrorDetail;
  /** Support mode: the panel opened. */
  'im-open': NoDetail;
  /** Support mode: the panel closed; inside the widget, a card or panel asks to be closed. */
  'im-close': NoDetail;
  // Between the widget's own elements.
  /** A conversation was chosen; null when the agent desk goes back to its list. */
  'im-select': SelectConversationDetail | null;
  'im-back': NoDetail;
  'im-open-message': OpenMessageDetail;
  /** A contact card opened the single chat with its person. */
  'im-open-chat': OpenChatDetail;
  /** A chat history card was chosen in a message list. */
  'im-open-history': OpenHistoryDetail;
  /** A person was chosen in a picker (whose contact to share). */
  'im-user-pick': UserPickDetail;
  'im-compose': ComposeRequest;
  'im-emoji-pick': EmojiPickDetail;
  'im-emoji-close': NoDetail;
  'im-menu-select': MenuSelectDetail;
  'im-menu-close': NoDetail;
  'im-added': NoDetail;
  'im-members-change': NoDetail;
  'im-bans-change': NoDetail;
  'im-request-count': RequestCountDetail;
  'im-toggle': NoDetail;
  'im-prechat': PrechatDetail;
}

/** How an event travels. By default it bubbles and crosses shadow roots, as the page's own events do. */
export interface EmitOptions {
  bubbles?: boolean;
  composed?: boolean;
}

/**
 * For an event that only the element's parent hears, with a listener on the element
 * itself: it neither bubbles nor leaves the shadow root it was dispatched in, so that an
 * `im-close` of an inner card never reaches the host page as `<im-chat>`'s own.
 */
export const toParentOnly: EmitOptions = { bubbles: false, composed: false };

/** Dispatches one of our events from `target` (for elements and controllers that have no `emit()`). */
export function emitFrom<K extends keyof ImEventMap>(
  target: EventTarget,
  name: K,
  detail: ImEventMap[K],
  options: EmitOptions = {},
): boolean {
  const { bubbles = true, composed = true } = options;
  return target.dispatchEvent(new CustomEvent<ImEventMap[K]>(name, { detail, bubbles, composed }));
}
