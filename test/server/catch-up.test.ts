/**
 * Catching up after a reconnect draws on a budget of its own: a device that pages through
 * every conversation that moved is never told `rate_limited`, and a flood of sends still is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, SyncResult } from '../../src/protocol/index.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { TestServer } from '../support/node/server.js';

describe('catch-up and the rate limit', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('catches up 1,000 messages over 50 conversations with no rate_limited, while sends stay limited', async () => {
    // The default limits.
    server = await TestServer.start();
    const conversations = 50;
    const perConversation = 20;
    const ids: string[] = [];
    for (let c = 0; c < conversations; c++) {
      const peer = `peer-${c}`;
      await server.storage.accounts.write.upsertUser({ id: peer, name: peer, avatar: null }, Date.now());
      const { id } = await server.storage.conversations.write.ensureSingle({
        id: singleConversationId('alice', peer),
        memberIds: ['alice', peer],
        createdBy: peer,
        now: Date.now(),
      });
      for (let m = 0; m < perConversation; m++) {
        await server.storage.messages.write.append({
          conversationId: id,
          senderId: peer,
          clientId: `catch-up-${c}-${m}`,
          body: { type: 'text', text: `${c}/${m}` },
          createdAt: Date.now(),
        });
      }
      ids.push(id);
    }

    // Alice comes back: she lists what changed, then pages through all of it at once.
    const alice = await server.connect('alice');
    const answers: Ack<unknown>[] = [];
    let cursor: string | null = null;
    const listed: string[] = [];
    for (;;) {
      const page: Ack<SyncResult> = await alice.command('conversation:sync', { cursor });
      answers.push(page);
      if (!page.ok) break;
      listed.push(...page.data.conversations.map((conversation) => conversation.id));
      cursor = page.data.cursor;
      if (!page.data.hasMore) break;
    }
    expect(listed.sort()).toEqual([...ids].sort());
    const pageSize = 10;
    const pages = await Promise.all(
      ids.flatMap((conversationId) =>
        Array.from({ length: perConversation / pageSize }, (_, p) =>
          alice.command('message:history', { conversationId, afterSeq: p * pageSize, limit: pageSize }),
        ),
      ),
    );
    answers.push(...pages);
    expect(answers.filter((answer) => !answer.ok)).toEqual([]);
    const received = pages.flatMap((page) => (page.ok ? page.data.messages : []));
    expect(received).toHaveLength(conversations * perConversation);

    // The send budget is untouched by all that, and still holds against a flood.
    const flood = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        alice.command('message:send', {
          conversationId: ids[0]!,
          clientId: `flood-${String(n).padStart(4, '0')}`,
          body: { type: 'text', text: 'flood' },
        }),
      ),
    );
    const accepted = flood.filter((answer) => answer.ok).length;
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(flood.filter((answer) => !answer.ok && answer.error.code === 'rate_limited').length).toBe(60 - accepted);
    expect(accepted).toBeLessThan(60);
  });
});
