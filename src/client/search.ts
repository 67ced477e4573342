import type { Message } from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { Connection } from './connection.js';

export interface MessageSearchOptions {
  /** Only this conversation. */
  conversationId?: string;
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** Messages per page (server default 20). */
  limit?: number;
}

export interface MessageSearchPage {
  /** Newest first. */
  messages: Message[];
  /** For the next page; null when nothing is left. A page may be short and still go on. */
  cursor: string | null;
}

/**
 * Searches the server for messages of the user's conversations, whether cached or not.
 * The senders' profiles go to the cache, so results can show their names. Needs a
 * connection: fails with `offline` rather than wait (the cache's own search works offline).
 */
export async function searchServerMessages(
  connection: Connection,
  cache: ChatCache | null,
  query: string,
  options: MessageSearchOptions = {},
): Promise<MessageSearchPage> {
  const { messages, users, cursor } = await connection.request('message:search', {
    query,
    ...options,
  });
  await cache?.putUsers(users);
  return { messages, cursor };
}
