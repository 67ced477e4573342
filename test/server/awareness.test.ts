import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, sendText, startGroupServer } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';

describe('receipts, typing and conversation settings', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function chat() {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    return { alice, bob, id: conversation.id };
  }

  it('tells the sender when a message reached the peer and when it was read', async () => {
    const { alice, bob, id } = await chat();
    await sendText(alice, id, 'one');
    await sendText(alice, id, 'two');

    expect(await bob.ok('conversation:delivered', { conversationId: id, seq: 2 })).toEqual({ deliveredSeq: 2 });
    expect(await alice.waitFor('conversation:receipt')).toEqual({
      conversationId: id,
      userId: 'bob',
      deliveredSeq: 2,
      readSeq: 0,
    });
    await bob.ok('conversation:read', { conversationId: id, seq: 1 });
    expect(await alice.waitFor('conversation:receipt', (r) => r.readSeq === 1)).toMatchObject({
      userId: 'bob',
      deliveredSeq: 2,
    });
    // Positions are clamped to what exists and never move backwards.
    expect(await bob.ok('conversation:delivered', { conversationId: id, seq: 99 })).toEqual({ deliveredSeq: 2 });
    expect(await bob.ok('conversation:delivered', { conversationId: id, seq: 1 })).toEqual({ deliveredSeq: 2 });

    const { receipts } = await alice.ok('conversation:receipts', { conversationId: id });
    expect(receipts).toEqual([
      { conversationId: id, userId: 'alice', deliveredSeq: 2, readSeq: 2 },
      { conversationId: id, userId: 'bob', deliveredSeq: 2, readSeq: 1 },
    ]);
  });

  it('counts the readers of a group message, without the sender', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const carol = await connectUser(server, 'carol');
    const group = await createTeam(alice, ['bob', 'carol', 'dave'], []);
    const { message } = await sendText(alice, group, 'read me');
    await bob.ok('conversation:read', { conversationId: group, seq: message.seq });
    await carol.ok('conversation:read', { conversationId: group, seq: message.seq - 1 });

    expect(await carol.ok('message:readers', { conversationId: group, seq: message.seq })).toEqual({
      readCount: 1,
      readerIds: ['bob'],
      audience: 3,
    });
    const dave = await connectUser(server, 'dave');
    await dave.ok('group:leave', { conversationId: group });
    const erin = await connectUser(server, 'erin');
    expect(await erin.command('message:readers', { conversationId: group, seq: message.seq })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await erin.command('conversation:receipts', { conversationId: group })).toMatchObject({
      error: { code: 'not_found' },
    });
  });

  it('shows typing to the others in the conversation only, never to outsiders', async () => {
    const { alice, bob, id } = await chat();
    const carol = await connectUser(server, 'carol');
    expect(await alice.ok('typing:start', { conversationId: id })).toEqual({});
    expect(await bob.waitFor('typing')).toEqual({ conversationId: id, userId: 'alice', ttlMs: limits.typingTtlMs });
    expect(await carol.command('typing:start', { conversationId: id })).toMatchObject({ error: { code: 'not_found' } });
    // Emptying the box ends the indicator at once: a 0 ms indicator.
    expect(await alice.ok('typing:stop', { conversationId: id })).toEqual({});
    expect(await bob.waitFor('typing', (event) => event.ttlMs === 0)).toEqual({ conversationId: id, userId: 'alice', ttlMs: 0 });
    expect(await carol.command('typing:stop', { conversationId: id })).toMatchObject({ error: { code: 'not_found' } });
    // A barrier: a message sent after both reaches Bob, and Alice and Carol saw no typing.
    await sendText(bob, id, 'barrier');
    await alice.waitFor('message:new');
    expect(alice.received.typing).toEqual([]);
    expect(carol.received.typing).toEqual([]);
  });

  async function settings(client: TestClient, conversationId: string, changes: object) {
    return (await client.ok('conversation:settings', { conversationId, ...changes })).conversation;
  }

  it("keeps each member's pin, mute, hide and unread mark, on all their devices", async () => {
    const { alice, bob, id } = await chat();
    await sendText(bob, id, 'hi');
    const aliceTablet = await connectUser(server, 'alice');

    const pinned = await settings(alice, id, { pinned: true, notificationsMuted: true });
    expect(pinned).toMatchObject({ pinnedAt: expect.any(Number), notificationsMuted: true, hidden: false });
    expect(await aliceTablet.waitFor('conversation:changed')).toEqual(pinned);
    // Bob's view is his own.
    expect(await server.storage.conversations.read.view(id, 'bob')).toMatchObject({ pinnedAt: null, notificationsMuted: false });
    // Pinning again keeps the first pin time; unpinning clears it.
    expect((await settings(alice, id, { pinned: true })).pinnedAt).toBe(pinned.pinnedAt);
    expect((await settings(alice, id, { pinned: false })).pinnedAt).toBeNull();

    // A sync from another device carries the settings.
    const synced = await aliceTablet.ok('conversation:sync', { cursor: null });
    expect(synced.conversations.find((c) => c.id === id)).toMatchObject({ notificationsMuted: true });

    expect(await settings(alice, id, { hidden: true })).toMatchObject({ hidden: true });
    await sendText(bob, id, 'back again');
    expect(await server.storage.conversations.read.view(id, 'alice')).toMatchObject({ hidden: false });

    await alice.ok('conversation:read', { conversationId: id, seq: 2 });
    expect(await settings(alice, id, { markedUnread: true })).toMatchObject({ markedUnread: true, unreadCount: 0 });
    // Opening it again (reading, even with nothing new) clears the mark.
    await alice.ok('conversation:read', { conversationId: id, seq: 2 });
    expect(await server.storage.conversations.read.view(id, 'alice')).toMatchObject({ markedUnread: false });

    const carol = await connectUser(server, 'carol');
    expect(await carol.command('conversation:settings', { conversationId: id, pinned: true })).toMatchObject({
      error: { code: 'not_found' },
    });
  });
});
