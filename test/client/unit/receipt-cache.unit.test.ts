import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCache } from '../../../src/client/cache/chat-cache.js';
import { CacheDb } from '../../../src/client/cache/db.js';
import { receiptReader } from '../../../src/ui/im-message-list/receipts.js';
import type { Conversation, Receipt } from '../../../src/protocol/index.js';

const conversationId = 'c-alice-bob';
let opened: ChatCache[] = [];
afterEach(() => {
  for (const cache of opened) cache.close();
  opened = [];
});

async function aliceCache(): Promise<ChatCache> {
  const cache = new ChatCache(new CacheDb(`receipts-${Math.random()}`), 'alice');
  opened.push(cache);
  await cache.applyConversations([conversation], [], { reset: false });
  return cache;
}

const conversation: Conversation = {
  id: conversationId, type: 'single', peerId: 'bob', lastSeq: 3, readSeq: 3, unreadCount: 0, lastMessage: null,
  createdAt: 1000, updatedAt: 1000, pinnedAt: null, notificationsMuted: false, hidden: false, markedUnread: false,
};

const bob = (deliveredSeq: number, readSeq: number): Receipt => ({ conversationId, userId: 'bob', deliveredSeq, readSeq });

/** What Alice's message at `seq` shows, from the cached receipts. */
async function shownAt(cache: ChatCache, seq: number) {
  const receipts = await cache.db.receipts.where('conversationId').equals(conversationId).toArray();
  const cached = (await cache.conversation(conversationId))!;
  return receiptReader(cached, receipts, 'alice')(seq);
}

describe('receipts in the cache', () => {
  it('keeps "read" when Bob’s earlier delivery report arrives after his reading', async () => {
    const cache = await aliceCache();
    await cache.mergeReceipts([bob(3, 0)]);
    expect(await shownAt(cache, 3)).toEqual({ kind: 'single', state: 'delivered' });
    await cache.mergeReceipts([bob(3, 3)]);
    // Sent by the server before the read one, it came after it.
    await cache.mergeReceipts([bob(3, 0)]);
    expect(await shownAt(cache, 3)).toEqual({ kind: 'single', state: 'read' });
    expect(await cache.db.receipts.get([conversationId, 'bob'])).toEqual(bob(3, 3));
  });

  it('forgets receipts when the server comes back with other storage', async () => {
    const cache = await aliceCache();
    await cache.mergeReceipts([bob(3, 3)]);
    await cache.applyConversations([{ ...conversation, lastSeq: 1, readSeq: 1 }], [], { reset: true });
    await cache.mergeReceipts([bob(1, 0)]);
    expect(await cache.db.receipts.get([conversationId, 'bob'])).toEqual(bob(1, 0));
  });
});
