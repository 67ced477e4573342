/**
 * The search area of storage: full-text search over the messages a user may read. The
 * index is kept by the transactions that write messages (see sql.ts), so it has no
 * writes of its own.
 */
import type { Message } from '../../../protocol/index.js';
import type { StorageArea } from '../area.js';

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

export interface SearchReads {
  /**
   * Text messages (not recalled) whose text contains `query`, from the conversations
   * `userId` is a member of, or was (then only up to the event that ended their membership).
   */
  messages(userId: string, query: MessageSearchQuery): Promise<MessageSearchPage>;
}

export type SearchStorage = StorageArea<SearchReads, Record<never, never>>;
