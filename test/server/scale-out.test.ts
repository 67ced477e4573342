/**
 * Scale-out: two real server processes on their own ports share PostgreSQL and Redis,
 * people connect to either, and everything they do reaches the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../support/node/client.js';
import { Cluster } from '../support/node/cluster.js';
import { isEvent, sendText, trySend } from '../support/node/groups.js';
import { probeServices } from '../support/node/services.js';

const services = await probeServices(['postgres', 'redis']);

describe.skipIf(!services.available)('two server processes on PostgreSQL and Redis', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await Cluster.start(2);
  }, 120_000);
  afterAll(() => cluster?.close());

  /** Connected to process 0 (A) or 1 (B). */
  const onA = (user: string) => cluster.connect(0, user);
  const onB = (user: string) => cluster.connect(1, user);

  it('delivers single-chat messages both ways between people on different processes', async () => {
    const alice = await onA('alice');
    const bob = await onB('bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });

    const first = await sendText(alice, conversation.id, 'hello from A');
    expect(await bob.waitFor('message:new', (m) => m.id === first.message.id)).toEqual(first.message);
    const reply = await sendText(bob, conversation.id, 'hello from B');
    expect(await alice.waitFor('message:new', (m) => m.id === reply.message.id)).toEqual(reply.message);
    expect([first.message.seq, reply.message.seq]).toEqual([1, 2]);
  });

  it('delivers group messages and changes, and authorizes from what the other process changed', async () => {
    const owner = await onA('olivia');
    const paul = await onB('paul');
    const quinn = await onA('quinn');
    const { conversation } = await owner.ok('group:create', { name: 'Both sides', memberIds: ['paul', 'quinn'] });
    const group = conversation.id;

    const fromB = await sendText(paul, group, 'paul on B');
    await owner.waitFor('message:new', (m) => m.id === fromB.message.id);
    await quinn.waitFor('message:new', (m) => m.id === fromB.message.id);
    const fromA = await sendText(quinn, group, 'quinn on A');
    await paul.waitFor('message:new', (m) => m.id === fromA.message.id);

    // Muted on A: once B has told Paul so, B refuses his message too.
    await owner.ok('group:mute-member', { conversationId: group, userId: 'paul', muted: true });
    await paul.waitFor('message:new', isEvent('member.muted'));
    expect(await trySend(paul, group, 'still here?')).toMatchObject({ ok: false, error: { code: 'muted' } });

    // Removed on A: B no longer lets him post, nor sends him the group's messages.
    await owner.ok('group:remove-member', { conversationId: group, userId: 'paul' });
    await paul.waitFor('message:new', isEvent('member.removed'));
    expect(await trySend(paul, group, 'let me in')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const after = await sendText(quinn, group, 'after paul left');
    await owner.waitFor('message:new', (m) => m.id === after.message.id);
    expect(paul.received['message:new'].some((m) => m.id === after.message.id)).toBe(false);

    // Added again on A: his connection on B joins the room and may post.
    await owner.ok('group:add-members', { conversationId: group, userIds: ['paul'] });
    await paul.waitFor('message:new', isEvent('members.added'));
    const back = await sendText(paul, group, 'back on B');
    await quinn.waitFor('message:new', (m) => m.id === back.message.id);
  });

  it('propagates recalls, reads and receipts across processes', async () => {
    const carol = await onA('carol');
    const carolOnB = await onB('carol');
    const dave = await onB('dave');
    const { conversation } = await carol.ok('conversation:start', { userId: 'dave' });
    const { message } = await sendText(carol, conversation.id, 'sent by mistake');
    await dave.waitFor('message:new', (m) => m.id === message.id);

    const recall = await carol.ok('message:recall', { conversationId: conversation.id, clientId: 'recall-1', seq: message.seq });
    expect(await dave.waitFor('message:new', (m) => m.body.type === 'recall')).toEqual(recall.event);
    expect(await carolOnB.waitFor('message:new', (m) => m.body.type === 'recall')).toEqual(recall.event);

    await dave.ok('conversation:read', { conversationId: conversation.id, seq: recall.event.seq });
    expect(await carol.waitFor('conversation:receipt', (r) => r.userId === 'dave')).toMatchObject({
      conversationId: conversation.id,
      readSeq: recall.event.seq,
    });
    const reply = await sendText(dave, conversation.id, 'no worries');
    await carol.ok('conversation:read', { conversationId: conversation.id, seq: reply.message.seq });
    expect(await carolOnB.waitFor('conversation:read')).toEqual({
      conversationId: conversation.id,
      userId: 'carol',
      readSeq: reply.message.seq,
    });
  });

  it('refuses single-chat messages on the other process once a block is made, and takes them again after unblocking', async () => {
    const ivy = await onA('ivy');
    const ivyOnB = await onB('ivy');
    const jack = await onB('jack');
    const { conversation } = await ivy.ok('conversation:start', { userId: 'jack' });
    // B knows the chat, with no block between them, before the block is made on A.
    const first = await sendText(jack, conversation.id, 'before');
    await ivy.waitFor('message:new', (m) => m.id === first.message.id);

    await ivy.ok('user:block', { userId: 'jack' });
    await ivyOnB.waitFor('user:block-changed', (change) => change.blocked);
    expect(await trySend(jack, conversation.id, 'still there?')).toMatchObject({
      ok: false,
      error: { code: 'recipient_unavailable' },
    });

    await ivy.ok('user:unblock', { userId: 'jack' });
    await ivyOnB.waitFor('user:block-changed', (change) => !change.blocked);
    const after = await sendText(jack, conversation.id, 'after');
    await ivy.waitFor('message:new', (m) => m.id === after.message.id);
  });

  it('shares presence and typing across processes', async () => {
    const erin = await onA('erin');
    const frank = await onB('frank');
    const { conversation } = await erin.ok('conversation:start', { userId: 'frank' });
    const { presence } = await frank.ok('presence:watch', { userIds: ['erin'] });
    expect(presence).toEqual([{ userId: 'erin', online: true, lastSeenAt: null }]);

    await erin.ok('typing:start', { conversationId: conversation.id });
    expect(await frank.waitFor('typing')).toMatchObject({ conversationId: conversation.id, userId: 'erin' });

    // A second connection on B keeps her online when the one on A ends.
    const erinOnB = await onB('erin');
    erin.close();
    erinOnB.close();
    const offline = await frank.waitFor('presence', (p) => p.userId === 'erin' && !p.online);
    expect(offline.lastSeenAt).toEqual(expect.any(Number));
    const again = await onA('frank');
    expect((await again.ok('presence:watch', { userIds: ['erin'] })).presence).toEqual([
      { userId: 'erin', online: false, lastSeenAt: offline.lastSeenAt },
    ]);
  });

  it('counts the invite codes one person tries on every process against one limit', async () => {
    const tries: TestClient[] = [await onA('gina'), await onB('gina')];
    // The default limit: 20 tries at once (then one per 6 s) per person.
    const answers = [];
    for (let i = 0; i < 21; i++) {
      answers.push(await tries[i % 2]!.command('invite:preview', { code: `no-such-code-${i}`.padEnd(32, 'x') }));
    }
    expect(answers.slice(0, 20).every((a) => !a.ok && a.error.code === 'invite_invalid')).toBe(true);
    expect(answers[20]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});
