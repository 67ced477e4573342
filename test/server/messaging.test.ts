import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import type { TestClient } from '../support/node/client.js';
import { TestServer, testUsers } from '../support/node/server.js';

const text = (value: string) => ({ type: 'text' as const, text: value });
let clientIds = 0;
const nextClientId = () => `client-id-${++clientIds}`;

describe('messaging', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.start();
  });
  afterEach(() => server.close());

  async function startChat(from: TestClient, peerId: string) {
    return (await from.ok('conversation:start', { userId: peerId })).conversation;
  }

  function send(from: TestClient, conversationId: string, value: string, clientId = nextClientId()) {
    return from.ok('message:send', { conversationId, clientId, body: text(value) });
  }

  it('starts the same conversation from either side and returns both profiles', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const fromAlice = await alice.ok('conversation:start', { userId: 'bob' });
    const fromBob = await bob.ok('conversation:start', { userId: 'alice' });

    expect(fromAlice.conversation.id).toBe(singleConversationId('alice', 'bob'));
    expect(fromBob.conversation.id).toBe(fromAlice.conversation.id);
    expect(fromAlice.conversation).toMatchObject({ type: 'single', peerId: 'bob', lastSeq: 0 });
    expect(fromBob.conversation).toMatchObject({ peerId: 'alice' });
    expect(fromAlice.users).toEqual(expect.arrayContaining([testUsers.alice, testUsers.bob]));
  });

  it('refuses a chat with oneself or with an unknown user', async () => {
    const alice = await server.connect('alice');
    const self = await alice.command('conversation:start', { userId: 'alice' });
    expect(self).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'userId' }] },
    });
    const unknown = await alice.command('conversation:start', { userId: 'nobody' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await server.storage.conversations.read.idsOf('alice')).toEqual([]);
  });

  it('delivers a single chat both ways, live', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    // Bob was online before the chat existed: starting it puts his socket in the room.
    const conversation = await startChat(alice, 'bob');

    const hello = await send(alice, conversation.id, 'hello Bob');
    expect(hello).toMatchObject({ duplicate: false, message: { seq: 1, senderId: 'alice' } });
    expect(await bob.waitFor('message:new')).toEqual(hello.message);

    const reply = await send(bob, conversation.id, 'hi Alice');
    expect(reply.message.seq).toBe(2);
    expect(await alice.waitFor('message:new', (m) => m.seq === 2)).toEqual(reply.message);
    // The sender learns of its own message from the ack, not from a broadcast.
    expect(alice.received['message:new'].map((m) => m.seq)).toEqual([2]);
  });

  it("reaches every tab of both users except the sending one", async () => {
    const aliceTab1 = await server.connect('alice');
    const conversation = await startChat(aliceTab1, 'bob');
    const aliceTab2 = await server.connect('alice');
    const bobTab1 = await server.connect('bob');
    const bobTab2 = await server.connect('bob', { transports: ['polling'] });

    const { message } = await send(aliceTab1, conversation.id, 'to all tabs');
    for (const tab of [aliceTab2, bobTab1, bobTab2]) {
      expect(await tab.waitFor('message:new')).toEqual(message);
    }
    // A later message to the same tabs proves the first tab got no copy of its own.
    const { message: second } = await send(bobTab1, conversation.id, 'barrier');
    await aliceTab1.waitFor('message:new', (m) => m.id === second.id);
    expect(aliceTab1.received['message:new']).toEqual([second]);
  });

  it('dedupes a retried send: one message, the same ack, one broadcast', async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const conversation = await startChat(alice, 'bob');

    const first = await send(alice, conversation.id, 'only once', 'retry-key-1');
    const retry = await send(alice, conversation.id, 'only once', 'retry-key-1');
    expect(retry).toEqual({ message: first.message, duplicate: true });

    const after = await send(alice, conversation.id, 'next');
    await bob.waitFor('message:new', (m) => m.id === after.message.id);
    expect(bob.received['message:new'].map((m) => m.seq)).toEqual([1, 2]);
    const history = await bob.ok('message:history', { conversationId: conversation.id });
    expect(history.messages.map((m) => m.clientId)).toEqual(['retry-key-1', after.message.clientId]);
  });

  it('keeps seq gap-free and ordered under concurrent senders', async () => {
    const alice = await server.connect('alice');
    const aliceTab2 = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const conversation = await startChat(alice, 'bob');

    const perSender = 15;
    const results = await Promise.all(
      [alice, aliceTab2, bob].flatMap((client, sender) =>
        Array.from({ length: perSender }, (_, i) => send(client, conversation.id, `${sender}:${i}`)),
      ),
    );
    const total = perSender * 3;
    const seqs = results.map((result) => result.message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    // Carol, not a member, sees nothing; the members see every message in seq order.
    expect(carol.received['message:new']).toEqual([]);
    const history = await bob.ok('message:history', { conversationId: conversation.id, limit: 100 });
    expect(history.messages.map((m) => m.seq)).toEqual(seqs);
    const fromOthers = (client: TestClient, senderSockets: number) =>
      client.waitFor('message:new', () => client.received['message:new'].length >= senderSockets);
    await fromOthers(bob, perSender * 2);
    const bobSeqs = bob.received['message:new'].map((m: Message) => m.seq);
    expect(bobSeqs).toEqual([...bobSeqs].sort((a, b) => a - b));
  });

  it('pages history backwards and forwards', async () => {
    const alice = await server.connect('alice');
    const conversation = await startChat(alice, 'bob');
    for (let i = 1; i <= 7; i++) await send(alice, conversation.id, `message ${i}`);

    const latest = await alice.ok('message:history', { conversationId: conversation.id, limit: 3 });
    expect(latest.messages.map((m) => m.seq)).toEqual([5, 6, 7]);
    expect(latest.hasMore).toBe(true);
    const older = await alice.ok('message:history', {
      conversationId: conversation.id,
      beforeSeq: 5,
      limit: 10,
    });
    expect(older).toMatchObject({ hasMore: false });
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    const newer = await alice.ok('message:history', {
      conversationId: conversation.id,
      afterSeq: 2,
      limit: 2,
    });
    expect(newer.messages.map((m) => m.seq)).toEqual([3, 4]);
    expect(newer.hasMore).toBe(true);
    expect(newer.messages[0]!.body).toEqual(text('message 3'));
  });

  it('answers not_found for a conversation that does not exist', async () => {
    const alice = await server.connect('alice');
    const send = await alice.command('message:send', {
      conversationId: 's_doesnotexist',
      clientId: nextClientId(),
      body: text('hello?'),
    });
    expect(send).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const history = await alice.command('message:history', { conversationId: 's_doesnotexist' });
    expect(history).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('finds people by name or id, case-insensitively, never the caller', async () => {
    const alice = await server.connect('alice');
    expect((await alice.ok('user:search', { query: 'BO' })).users).toEqual([testUsers.bob]);
    expect((await alice.ok('user:search', { query: 'a' })).users.map((u) => u.id)).toEqual([
      'carol',
      'dave',
    ]);
    expect((await alice.ok('user:search', { query: '', limit: 2 })).users).toHaveLength(2);
  });
});
