import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { startAdminServer } from '../support/node/admin.js';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, sendText, startGroupServer } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';
import { WebhookReceiver } from '../support/node/webhook-receiver.js';

function react(from: TestClient, conversationId: string, seq: number, emoji: string, on = true) {
  return from.command('message:react', { conversationId, seq, emoji, on });
}

const isReaction = (message: Message) => message.body.type === 'reaction';

describe('reactions', () => {
  let server: TestServer;
  let receiver: WebhookReceiver | null = null;
  afterEach(async () => {
    await server.close();
    await receiver?.close();
    receiver = null;
  });

  it("reach every member and the reactor's other connection live, and a member who was away through history", async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const bobTablet = await connectUser(server, 'bob');
    const group = await createTeam(alice, ['bob', 'carol'], []);
    const { message } = await sendText(alice, group, 'Pizza on Friday?');
    const before = await server.storage.conversations.read.view(group, 'carol');

    const live = [alice.waitFor('message:new', isReaction), bobTablet.waitFor('message:new', isReaction)];
    const answer = await react(bob, group, message.seq, '🍕');
    expect(answer).toMatchObject({
      ok: true,
      data: {
        target: { seq: message.seq, reactions: { items: [{ emoji: '🍕', userIds: ['bob'] }] } },
        event: { senderId: 'bob', body: { type: 'reaction', targetSeq: message.seq, emoji: '🍕', on: true } },
      },
    });
    for (const event of await Promise.all(live)) {
      expect(event.body).toEqual({ type: 'reaction', targetSeq: message.seq, emoji: '🍕', on: true, reactions: [{ emoji: '🍕', userIds: ['bob'] }] });
    }
    await react(alice, group, message.seq, '❤');

    // Carol was away: history brings the message with its reactions now, then the events.
    const carol = await connectUser(server, 'carol');
    const history = await carol.ok('message:history', { conversationId: group, afterSeq: message.seq - 1 });
    expect(history.messages[0]!.reactions?.items).toEqual([
      { emoji: '🍕', userIds: ['bob'] },
      { emoji: '❤️', userIds: ['alice'] },
    ]);
    expect(history.messages.filter(isReaction).map((m) => m.body.type === 'reaction' && m.body.emoji)).toEqual(['🍕', '❤️']);
    // Nothing unread for her beyond the message, and the group did not move up her list.
    const after = await server.storage.conversations.read.view(group, 'carol');
    expect(after).toMatchObject({ unreadCount: before!.unreadCount, updatedAt: before!.updatedAt });
  });

  it('refuses people who are not members, events, recalled messages and text that is not one emoji', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const dave = await connectUser(server, 'dave');
    const group = await createTeam(alice, ['bob'], []);
    const { message } = await sendText(alice, group, 'hello');
    expect(await react(dave, group, message.seq, '👍')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await react(bob, group, 1, '👍')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const emoji of ['ok', '👍👍', '<b>👍</b>']) {
      expect(await react(bob, group, message.seq, emoji)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    await react(bob, group, message.seq, '👍');
    await alice.ok('message:recall', { conversationId: group, clientId: 'recall-react-1', seq: message.seq });
    expect(await react(bob, group, message.seq, '🎉')).toMatchObject({ ok: false, error: { code: 'not_editable' } });
    const recalled = (await bob.ok('message:history', { conversationId: group })).messages.find((m) => m.seq === message.seq);
    expect(recalled?.reactions).toBeUndefined();
  });

  it('keeps the reactions of someone who left, who can no longer change them', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const group = await createTeam(alice, ['bob', 'carol'], []);
    const { message } = await sendText(alice, group, 'Thanks all');
    await react(bob, group, message.seq, '🙏');
    await bob.ok('group:leave', { conversationId: group });
    expect(await react(bob, group, message.seq, '🙏', false)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const history = await alice.ok('message:history', { conversationId: group, afterSeq: 0 });
    expect(history.messages.find((m) => m.seq === message.seq)?.reactions?.items).toEqual([{ emoji: '🙏', userIds: ['bob'] }]);
  });

  it('show in the admin API and reach webhooks as message.reacted', async () => {
    receiver = await WebhookReceiver.start();
    const started = await startAdminServer();
    server = started.server;
    const { admin } = started;
    await admin.post('/webhooks', { url: receiver.url, events: ['message.reacted'] });
    const group = (await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob'] })).body.group.id as string;
    const bob = await connectUser(server, 'bob');
    const { message } = await sendText(bob, group, 'Deploy done');
    await react(bob, group, message.seq, '🚀');
    await receiver.until((r) => r.accepted.length === 1, 'the webhook');
    expect(receiver.accepted[0]).toMatchObject({
      type: 'message.reacted',
      data: { conversationId: group, targetSeq: message.seq, userId: 'bob', emoji: '🚀', on: true, reactions: [{ emoji: '🚀', userIds: ['bob'] }] },
    });
    const page = await admin.get(`/conversations/${group}/messages?afterSeq=0`);
    expect(page.body.messages.find((m: Message) => m.seq === message.seq).reactions.items).toEqual([{ emoji: '🚀', userIds: ['bob'] }]);
  });
});
