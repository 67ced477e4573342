import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from '../support/node/server.js';

const text = (value: string) => ({ type: 'text' as const, text: value });

describe('authorization', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await TestServer.start();
  });
  afterEach(() => server.close());

  it("keeps a third user out of another pair's conversation", async () => {
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const secret = await alice.ok('message:send', {
      conversationId: conversation.id,
      clientId: 'secret-message',
      body: text('between us'),
    });

    const intrusions = [
      await carol.command('message:send', {
        conversationId: conversation.id,
        clientId: 'intruder-1',
        body: text('let me in'),
      }),
      await carol.command('message:history', { conversationId: conversation.id }),
      await carol.command('message:history', { conversationId: conversation.id, afterSeq: 0 }),
      await carol.command('conversation:read', { conversationId: conversation.id, seq: 1 }),
    ];
    // The same answer as for a conversation that does not exist: its existence stays private.
    for (const ack of intrusions) {
      expect(ack).toEqual({ ok: false, error: { code: 'not_found', message: 'no such conversation' } });
    }
    const carolSync = await carol.ok('conversation:sync', { cursor: null });
    expect(carolSync.conversations).toEqual([]);

    // Nothing changed for the members.
    const history = await bob.ok('message:history', { conversationId: conversation.id });
    expect(history.messages).toEqual([secret.message]);
    expect((await server.storage.conversations.read.view(conversation.id, 'bob'))?.readSeq).toBe(0);

    // Carol received nothing of it: a message to her arrives, and is all she has.
    const { conversation: withCarol } = await alice.ok('conversation:start', { userId: 'carol' });
    const forCarol = await alice.ok('message:send', {
      conversationId: withCarol.id,
      clientId: 'for-carol-1',
      body: text('hi Carol'),
    });
    await carol.waitFor('message:new');
    expect(carol.received['message:new']).toEqual([forCarol.message]);
    expect(carol.received['conversation:read']).toEqual([]);
  });
});
