/**
 * What the push service worker and the widget agree on. Kept free of DOM and worker
 * types: both sides import it.
 */

/** The query parameter of a page the worker opens: the widget opens that conversation. */
export const openParam = 'im-open';

/** The worker's query parameter that says which page to open (a path on its origin). */
export const pageParam = 'page';

/** Posted by the worker to an open page when a notification is clicked. */
export interface OpenConversationMessage {
  type: 'im-chat:open';
  conversationId: string;
}

export function isOpenConversationMessage(data: unknown): data is OpenConversationMessage {
  const message = data as Partial<OpenConversationMessage> | null;
  return message?.type === 'im-chat:open' && typeof message.conversationId === 'string';
}
