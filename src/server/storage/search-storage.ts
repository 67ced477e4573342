/**
 * The search part of the storage contract (storage.ts): full-text search over the
 * messages a user may read.
 */
import type { Message } from '../../protocol/index.js';

export interface MessageSearchQuery {
  /** Matched as a substring of the text, case-insensitive; never parsed as a query language. */
  query: string;
  /** Only this conversation; the caller has checked that the user is or was in it. */
  conversationId?: string;
  /** From the previous page; a cursor the storage did not make is `invalid_payload`. */
  cursor?: string;
  limit: number;
}

export interface MessageSearchPage {
  /** Newest first. */
  messages: Message[];
  /**
   * Where the next page starts; null when nothing is left. Each call reads a bounded
   * number of candidates, so a page may hold fewer than `limit` messages and still have
   * a cursor.
   */
  cursor: string | null;
}

export interface SearchStorage {
  /**
   * Text messages (not recalled) whose text contains `query`, from the conversations
   * `userId` is a member of, or was (then only up to the event that ended their membership).
   */
  searchMessages(userId: string, query: MessageSearchQuery): Promise<MessageSearchPage>;
}
