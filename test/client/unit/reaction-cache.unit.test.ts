import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCache } from '../../../src/client/cache/chat-cache.js';
import { CacheDb } from '../../../src/client/cache/db.js';
import type { Conversation, Message, Reaction } from '../../../src/protocol/index.js';

const conversationId = 'c-alice-bob';
let opened: ChatCache[] = [];
afterEach(() => {
  for (const cache of opened) cache.close();
  opened = [];
});

async function aliceCache(): Promise<ChatCache> {
  const cache = new ChatCache(new CacheDb(`reactions-${Math.random()}`), 'alice');
  opened.push(cache);
  const conversation: Conversation = {
    id: conversationId, type: 'single', peerId: 'bob', lastSeq: 0, readSeq: 0, unreadCount: 0, lastMessage: null,
    createdAt: 1000, updatedAt: 1000, pinnedAt: null, notificationsMuted: false, hidden: false, markedUnread: false,
  };
  await cache.applyConversations([conversation], [], { reset: false });
  return cache;
}

const lunch = (reactions?: Message['reactions']): Message => ({
  id: 'm-1', conversationId, seq: 1, senderId: 'alice', clientId: 'client-0001',
  body: { type: 'text', text: 'Lunch?' }, createdAt: 2000, ...(reactions ? { reactions } : {}),
});

const reaction = (seq: number, emoji: string, on: boolean, reactions: Reaction[], createdAt = 3000 + seq): Message => ({
  id: `r-${seq}`, conversationId, seq, senderId: 'bob', clientId: `sys_${seq}xxxxxxxxxxxxxxxxxxx`,
  body: { type: 'reaction', targetSeq: 1, emoji, on, reactions }, createdAt,
});

const shown = async (cache: ChatCache) => (await cache.timeline(conversationId, 1)).map((e) => e.reactions);

describe('reactions in the cache', () => {
  it('applies reaction events to their target, newest state wins whatever the order they come in', async () => {
    const cache = await aliceCache();
    await cache.applyMessages([lunch()]);
    const thumbs = [{ emoji: '👍', userIds: ['bob'] }];
    const none: Reaction[] = [];
    await cache.applyMessages([reaction(3, '👍', false, none)]);
    // An older event (a gap filled late) does not bring back what was taken back.
    await cache.applyMessages([reaction(2, '👍', true, thumbs)]);
    expect(await shown(cache)).toEqual([[]]);
    // Nor does a history page or an ack that left the server before it.
    await cache.applyMessages([lunch({ seq: 2, items: thumbs })]);
    expect(await shown(cache)).toEqual([[]]);
    await cache.applyMessages([reaction(4, '❤️', true, [{ emoji: '❤️', userIds: ['bob'] }])]);
    expect(await shown(cache)).toEqual([[{ emoji: '❤️', userIds: ['bob'] }]]);
  });

  it('keeps the preview, the order and the unread count of the conversation as they were', async () => {
    const cache = await aliceCache();
    await cache.applyMessages([lunch()]);
    const before = (await cache.conversationList())[0]!;
    await cache.applyMessages([reaction(2, '👍', true, [{ emoji: '👍', userIds: ['bob'] }], 9000)]);
    const [after] = await cache.conversationList();
    expect(after).toMatchObject({ lastSeq: 2, updatedAt: before.updatedAt, unread: 0 });
    expect(after!.preview?.body).toEqual({ type: 'text', text: 'Lunch?' });
    expect((await cache.timeline(conversationId, 1)).map((e) => e.seq)).toEqual([1]);
  });

  it('drops the reactions of a message that is recalled', async () => {
    const cache = await aliceCache();
    await cache.applyMessages([lunch({ seq: 2, items: [{ emoji: '👍', userIds: ['bob'] }] })]);
    await cache.applyMessages([
      { id: 'e-3', conversationId, seq: 3, senderId: 'alice', clientId: 'client-0003', body: { type: 'recall', targetSeq: 1 }, createdAt: 5000 },
    ]);
    const [entry] = await cache.timeline(conversationId, 1);
    expect(entry).toMatchObject({ body: { type: 'recalled', by: 'alice' }, reactions: [] });
  });
});
