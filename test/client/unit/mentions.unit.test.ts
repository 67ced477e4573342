import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatError, type ChatClient } from '../../../src/client/index.js';
import type { GroupConversation } from '../../../src/protocol/index.js';
import { FakeServer } from './support/fake-server.js';
import { ManualClock } from './support/manual-clock.js';
import { startClient, statusBecomes, stopAllClients, until } from './support/clients.js';

/** Alice online in a group Bob owns, with Carol in it too. */
async function aliceInGroup() {
  const clock = new ManualClock();
  const server = new FakeServer(clock);
  const groupId = server.group(['bob', 'alice', 'carol']);
  const alice = await startClient(server, clock, 'alice');
  await statusBecomes(alice, 'online');
  return { server, alice, groupId };
}

function mentionSeqOf(alice: ChatClient, groupId: string, expected: number): Promise<unknown> {
  return until(
    async () => ((await alice.cache!.conversation(groupId)) as GroupConversation | undefined)?.mentionSeq,
    (mentionSeq) => mentionSeq === expected,
    `mentionSeq ${expected}`,
  );
}

describe('mentions', () => {
  afterEach(stopAllClients);

  it('sends each mentioned member once, and "@all" only when asked for', async () => {
    const { server, alice, groupId } = await aliceInGroup();
    server.hold('message:send');

    await alice.send(groupId, 'hi @bob and @carol, @bob?', { mentions: ['bob', 'carol', 'bob'], mentionAll: false });
    const send = await server.nextHeld('message:send');
    expect(send.payload.body).toEqual({ type: 'text', text: 'hi @bob and @carol, @bob?', mentions: ['bob', 'carol'] });
    send.accept();

    await alice.send(groupId, '@all lunch', { mentions: [], mentionAll: true });
    expect((await server.nextHeld('message:send')).payload.body).toEqual({ type: 'text', text: '@all lunch', mentionAll: true });
  });

  it('refuses an empty or too long text before it reaches the outbox', async () => {
    const { alice, groupId } = await aliceInGroup();
    for (const text of [' \n ', 'x'.repeat(4_001)]) {
      const refusal = await alice.send(groupId, text).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ChatError);
      expect((refusal as ChatError).code).toBe('invalid_payload');
    }
    expect(await alice.cache!.db.outbox.count()).toBe(0);
  });

  it('marks the group as mentioning the user for a live message that mentions them or everyone, not someone else', async () => {
    const { server, alice, groupId } = await aliceInGroup();
    server.deliver(server.post(groupId, 'bob', 'hi @carol', { mentions: ['carol'] }));
    server.deliver(server.post(groupId, 'bob', 'hi @alice', { mentions: ['alice'] }));
    await mentionSeqOf(alice, groupId, 2);

    server.deliver(server.post(groupId, 'carol', 'nothing for you'));
    server.deliver(server.post(groupId, 'bob', 'hi @all', { mentionAll: true }));
    await mentionSeqOf(alice, groupId, 4);
    server.deliver(server.post(groupId, 'carol', 'and @carol', { mentions: ['carol'] }));
    await until(async () => (await alice.cache!.conversation(groupId))?.lastSeq, (seq) => seq === 5, 'the last message');
    await mentionSeqOf(alice, groupId, 4);
  });
});
