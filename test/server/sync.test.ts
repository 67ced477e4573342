import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/node/client.js';
import { TestServer, testUsers } from '../support/node/server.js';

const text = (value: string) => ({ type: 'text' as const, text: value });
let clientIds = 0;

function send(from: TestClient, conversationId: string, value: string) {
  return from.ok('message:send', {
    conversationId,
    clientId: `sync-test-${++clientIds}`,
    body: text(value),
  });
}

describe('sync and read state', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.start();
  });
  afterEach(() => server.close());

  it('brings back what was sent while a client was offline, via sync and history', async () => {
    const alice = await server.connect('alice');
    let bob = await server.connect('bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    await send(alice, conversation.id, 'while online');
    const firstSync = await bob.ok('conversation:sync', { cursor: null });
    expect(firstSync.conversations).toMatchObject([
      { id: conversation.id, lastSeq: 1, unreadCount: 1 },
    ]);
    expect(firstSync.users).toEqual([testUsers.alice]);
    expect(firstSync.reset).toBe(false);

    bob.close();
    const offline = [];
    for (let i = 1; i <= 3; i++) {
      offline.push((await send(alice, conversation.id, `offline ${i}`)).message);
    }

    bob = await server.connect('bob');
    const catchUp = await bob.ok('conversation:sync', { cursor: firstSync.cursor });
    expect(catchUp).toMatchObject({ hasMore: false, reset: false });
    expect(catchUp.conversations).toMatchObject([
      { id: conversation.id, lastSeq: 4, readSeq: 0, unreadCount: 4, lastMessage: offline[2] },
    ]);
    const missed = await bob.ok('message:history', { conversationId: conversation.id, afterSeq: 1 });
    expect(missed.messages).toEqual(offline);

    // Reconnected, Bob is back in the conversation's room.
    const live = await send(alice, conversation.id, 'live again');
    expect(await bob.waitFor('message:new')).toEqual(live.message);
  });

  it('lists a new conversation to its creator, and to the peer once it has a message', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const aliceCursor = (await alice.ok('conversation:sync', { cursor: null })).cursor;
    const bobCursor = (await bob.ok('conversation:sync', { cursor: null })).cursor;

    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const forAlice = await alice.ok('conversation:sync', { cursor: aliceCursor });
    expect(forAlice.conversations.map((c) => c.id)).toEqual([conversation.id]);
    expect(forAlice.users).toEqual([testUsers.bob]);
    const forBob = await bob.ok('conversation:sync', { cursor: bobCursor });
    expect(forBob.conversations).toEqual([]);

    await send(alice, conversation.id, 'hello');
    const afterMessage = await bob.ok('conversation:sync', { cursor: forBob.cursor });
    expect(afterMessage.conversations.map((c) => c.id)).toEqual([conversation.id]);
  });

  it('pages a large sync with hasMore', async () => {
    const alice = await server.connect('alice');
    for (const peer of ['bob', 'carol', 'dave']) {
      const { conversation } = await alice.ok('conversation:start', { userId: peer });
      await send(alice, conversation.id, `hi ${peer}`);
    }
    const first = await alice.ok('conversation:sync', { cursor: null, limit: 2 });
    expect(first.conversations).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    const rest = await alice.ok('conversation:sync', { cursor: first.cursor, limit: 2 });
    expect(rest.conversations).toHaveLength(1);
    expect(rest.hasMore).toBe(false);
    const [last] = rest.conversations;
    expect(rest.users.map((u) => u.id)).toEqual([last?.type === 'single' ? last.peerId : null]);
  });

  it('resets a cursor the storage does not know', async () => {
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const result = await alice.ok('conversation:sync', { cursor: 'from-another-server.42' });
    expect(result.reset).toBe(true);
    expect(result.conversations.map((c) => c.id)).toEqual([conversation.id]);
  });

  it("syncs read state to the reader's other tabs only, and derives unread", async () => {
    const alice = await server.connect('alice');
    const bobTab1 = await server.connect('bob');
    const bobTab2 = await server.connect('bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    for (let i = 1; i <= 3; i++) await send(alice, conversation.id, `m${i}`);
    const bobCursor = (await bobTab1.ok('conversation:sync', { cursor: null })).cursor;

    expect(await bobTab1.ok('conversation:read', { conversationId: conversation.id, seq: 2 })).toEqual({
      readSeq: 2,
    });
    expect(await bobTab2.waitFor('conversation:read')).toEqual({
      conversationId: conversation.id,
      userId: 'bob',
      readSeq: 2,
    });
    const view = await bobTab2.ok('conversation:sync', { cursor: bobCursor });
    expect(view.conversations).toMatchObject([{ id: conversation.id, readSeq: 2, unreadCount: 1 }]);

    // Backwards and repeated reads change nothing and tell no one.
    expect(await bobTab2.ok('conversation:read', { conversationId: conversation.id, seq: 1 })).toEqual({
      readSeq: 2,
    });
    // Beyond the end clamps to lastSeq.
    const clamped = await bobTab2.ok('conversation:read', { conversationId: conversation.id, seq: 99 });
    expect(clamped).toEqual({ readSeq: 3 });
    await bobTab1.waitFor('conversation:read', (state) => state.readSeq === 3);
    expect(bobTab1.received['conversation:read']).toEqual([
      { conversationId: conversation.id, userId: 'bob', readSeq: 3 },
    ]);
    expect(bobTab2.received['conversation:read'].map((state) => state.readSeq)).toEqual([2]);
    expect(alice.received['conversation:read']).toEqual([]);

    const after = await bobTab1.ok('conversation:sync', { cursor: view.cursor });
    expect(after.conversations).toMatchObject([{ readSeq: 3, unreadCount: 0 }]);
  });

  it('keeps everything across a restart on the same data dir', async () => {
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const sent = [];
    for (let i = 1; i <= 3; i++) sent.push((await send(alice, conversation.id, `before ${i}`)).message);
    const bob = await server.connect('bob');
    await bob.ok('conversation:read', { conversationId: conversation.id, seq: 2 });
    const cursor = (await bob.ok('conversation:sync', { cursor: null })).cursor;

    await server.restart();

    const bobAgain = await server.connect('bob');
    const history = await bobAgain.ok('message:history', { conversationId: conversation.id });
    expect(history.messages).toEqual(sent);
    const quiet = await bobAgain.ok('conversation:sync', { cursor });
    expect(quiet).toMatchObject({ reset: false, conversations: [] });

    const aliceAgain = await server.connect('alice');
    const next = await send(aliceAgain, conversation.id, 'after restart');
    expect(next.message.seq).toBe(4);
    expect(await bobAgain.waitFor('message:new')).toEqual(next.message);
    const retried = await aliceAgain.ok('message:send', {
      conversationId: conversation.id,
      clientId: sent[0]!.clientId,
      body: text('before 1'),
    });
    expect(retried).toEqual({ message: sent[0], duplicate: true });
    const changed = await bobAgain.ok('conversation:sync', { cursor });
    expect(changed.conversations).toMatchObject([{ lastSeq: 4, readSeq: 2, unreadCount: 2 }]);
  });
});
