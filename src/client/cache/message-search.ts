import { Dexie } from 'dexie';
import { plainText } from '../../protocol/formatting.js';
import type { Message } from '../../protocol/index.js';
import type { CacheDb } from './db.js';

export interface CachedSearchOptions {
  /** Only this conversation. */
  conversationId?: string;
  /** Stop after this many matches; default 20. */
  limit?: number;
}

/**
 * Cached text messages whose words (without their marks) contain `query` (case-insensitive), newest first; not the ones
 * hidden on this device. Reads newest first through an index and stops at `limit`
 * matches, so a common word answers from the first few hundred messages; only a rare one
 * walks the whole cache.
 */
export async function searchCachedMessages(
  db: CacheDb,
  query: string,
  { conversationId, limit = 20 }: CachedSearchOptions = {},
): Promise<Message[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  const hidden = new Set(
    await (conversationId
      ? db.hiddenMessages.where('conversationId').equals(conversationId).primaryKeys()
      : db.hiddenMessages.toCollection().primaryKeys()),
  );
  const newestFirst = conversationId
    ? db.messages
        .where('[conversationId+seq]')
        .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
        .reverse()
    : db.messages.orderBy('createdAt').reverse();
  return newestFirst
    .filter(
      (message) =>
        message.body.type === 'text' &&
        plainText(message.body.text).toLowerCase().includes(needle) &&
        !hidden.has(message.id),
    )
    .limit(limit)
    .toArray();
}
