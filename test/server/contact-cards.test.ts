import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { TestServer, testUsers } from '../support/node/server.js';

let clientIds = 0;
const clientId = () => `contact-card-${++clientIds}`;

describe('contact cards', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.start();
  });
  afterEach(() => server.close());

  it("shares a person's contact with the profile the server has, which opens a chat with them", async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const { message } = await alice.ok('message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      body: { type: 'contact', userId: 'carol' },
    });
    expect(message.body).toEqual({ type: 'contact', user: { id: 'carol', name: 'Carol', avatar: null } });
    const received = await bob.waitFor('message:new', (m) => m.id === message.id);
    expect(received.body).toEqual(message.body);
    // It is a message: unread for Bob, quoted by the person's name.
    expect((await bob.ok('conversation:sync', { cursor: null })).conversations[0]).toMatchObject({ unreadCount: 1 });
    const reply = await bob.ok('message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      body: { type: 'text', text: 'Thanks!' },
      replyToSeq: message.seq,
    });
    expect(reply.message.replyTo).toEqual({ seq: message.seq, senderId: 'alice', type: 'contact', excerpt: 'Carol' });

    // Bob opens the card: the chat with Carol.
    const chat = await bob.ok('conversation:start', { userId: (received.body as Extract<Message['body'], { type: 'contact' }>).user.id });
    expect(chat.users.map((user) => user.id).sort()).toEqual(['bob', 'carol']);
  });

  it('fills the card from the server, whatever profile the sender knows, and forwards as the same person', async () => {
    const alice = await server.connect('alice');
    await server.connect({ sub: 'carol', name: 'Carol Jones', avatar: 'https://example.com/carol.png' });
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const sent = await alice.ok('message:send', {
      conversationId: conversation.id,
      clientId: clientId(),
      body: { type: 'contact', userId: 'carol' },
    });
    expect(sent.message.body).toEqual({
      type: 'contact',
      user: { id: 'carol', name: 'Carol Jones', avatar: 'https://example.com/carol.png' },
    });
    const forwarded = await alice.ok('message:send', {
      conversationId: (await alice.ok('conversation:start', { userId: 'dave' })).conversation.id,
      clientId: clientId(),
      body: { type: 'contact', userId: 'carol' },
    });
    expect(forwarded.message.body).toEqual(sent.message.body);
  });

  it('refuses unknown and deleted people, and a card the sender tries to fill in', async () => {
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const send = (body: unknown) =>
      alice.raw('message:send', { conversationId: conversation.id, clientId: clientId(), body });
    expect(await send({ type: 'contact', userId: 'nobody' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await send({ type: 'contact', userId: 'carol', user: testUsers.carol })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect(await send({ type: 'contact', user: testUsers.carol })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    await server.storage.accounts.write.markDeleted('dave', Date.now());
    expect(await send({ type: 'contact', userId: 'dave' })).toMatchObject({ ok: false, error: { code: 'user_deleted' } });
    const history = await alice.ok('message:history', { conversationId: conversation.id });
    expect(history.messages).toEqual([]);
  });
});
