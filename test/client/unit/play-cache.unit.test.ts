import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatCache } from '../../../src/client/cache/chat-cache.js';
import { CacheDb } from '../../../src/client/cache/db.js';
import type { Conversation, Message } from '../../../src/protocol/index.js';

const conversationId = 'c-alice-bob';
let opened: ChatCache[] = [];
afterEach(() => {
  for (const cache of opened) cache.close();
  opened = [];
});

async function cacheOf(userId: string): Promise<ChatCache> {
  const cache = new ChatCache(new CacheDb(`plays-${Math.random()}`), userId);
  opened.push(cache);
  const conversation: Conversation = {
    id: conversationId, type: 'single', peerId: userId === 'alice' ? 'bob' : 'alice', lastSeq: 0, readSeq: 0, unreadCount: 0,
    lastMessage: null, createdAt: 1000, updatedAt: 1000, pinnedAt: null, notificationsMuted: false, hidden: false, markedUnread: false,
  };
  await cache.applyConversations([conversation], [], { reset: false });
  return cache;
}

const voice = (extra: Partial<Message> = {}): Message => ({
  id: 'm-1', conversationId, seq: 1, senderId: 'alice', clientId: 'client-0001',
  body: { type: 'voice', file: { id: 'f-1', name: 'voice.webm', mime: 'audio/webm', size: 900 }, duration: 2000, waveform: [5, 50] },
  createdAt: 2000, ...extra,
});

const shown = async (cache: ChatCache) => (await cache.timeline(conversationId, 1)).map((e) => [e.played, e.playedCount]);

describe('played voice messages in the cache', () => {
  it("keeps the recipient's play whichever way a copy of the message comes again", async () => {
    const bob = await cacheOf('bob');
    await bob.applyMessages([voice()]);
    expect(await shown(bob)).toEqual([[false, 0]]);
    await bob.applyPlays([{ conversationId, seq: 1, played: true }]);
    expect(await shown(bob)).toEqual([[true, 0]]);
    // A live copy or a history page that left before the play does not take it back.
    await bob.applyMessages([voice()]);
    expect(await shown(bob)).toEqual([[true, 0]]);
  });

  it("keeps the sender's highest count, whatever order events and syncs come in", async () => {
    const alice = await cacheOf('alice');
    await alice.applyMessages([voice()]);
    await alice.applyPlays([{ conversationId, seq: 1, playedCount: 3 }]);
    await alice.applyPlays([{ conversationId, seq: 1, playedCount: 2 }]);
    expect(await shown(alice)).toEqual([[false, 3]]);
    await alice.applyMessages([voice({ playedCount: 4 })]);
    expect(await shown(alice)).toEqual([[false, 4]]);
    await alice.applyMessages([voice()]);
    expect(await shown(alice)).toEqual([[false, 4]]);
  });

  it('ignores play states of messages it does not have, or that are not voice messages', async () => {
    const bob = await cacheOf('bob');
    await bob.applyMessages([{ ...voice(), body: { type: 'text', text: 'hi' } }]);
    await bob.applyPlays([{ conversationId, seq: 1, played: true }, { conversationId, seq: 7, played: true }]);
    expect(await shown(bob)).toEqual([[false, 0]]);
  });
});
