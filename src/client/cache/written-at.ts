import type { Message } from '../../protocol/index.js';
import type { CacheDb, CachedMessage } from './db.js';

/**
 * The user's own messages keep the time they were written on this device: from the
 * outbox entry they leave, or from the copy already cached (a later delivery of the same
 * message). Call inside the transaction that stores them, before the outbox entries go.
 */
export async function withWrittenAt(db: CacheDb, userId: string, messages: readonly Message[]): Promise<CachedMessage[]> {
  const own = messages.filter((m) => m.senderId === userId);
  if (own.length === 0) return [...messages];
  const [queued, cached] = await Promise.all([
    db.outbox.where('clientId').anyOf(own.map((m) => m.clientId)).toArray(),
    db.messages.bulkGet(own.map((m) => m.id)),
  ]);
  const writtenAt = new Map<string, number>();
  for (const entry of queued) writtenAt.set(entry.clientId, entry.createdAt);
  for (const message of cached) {
    if (message?.writtenAt !== undefined) writtenAt.set(message.clientId, message.writtenAt);
  }
  return messages.map((message) => {
    const at = message.senderId === userId ? writtenAt.get(message.clientId) : undefined;
    return at === undefined ? message : { ...message, writtenAt: at };
  });
}
