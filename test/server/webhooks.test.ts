import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminClient } from '../support/node/admin.js';
import { connectUser, sendText } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/node/webhook-receiver.js';


/** Verification as docs/webhooks.md shows a receiver in Node: HMAC-SHA256 over `id.timestamp.body`. */
function signatureValid(secret: string, request: ReceivedWebhook): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return String(request.headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

describe('webhooks', () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  let admin: AdminClient;
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    ({ server, admin } = await startAdminServer({ webhookDelivery: { retryBaseMs: 20, retryMaxMs: 100, maxAttempts: 20 } }));
  });
  afterEach(async () => {
    await server.close();
    await receiver.close();
  });

  async function register(events: string[]) {
    const created = await admin.post('/webhooks', { url: receiver.url, events });
    expect(created.status).toBe(201);
    return created.body.webhook as { id: string; secret: string };
  }

  it('delivers the events of what happens, signed, each with its id', async () => {
    const { secret } = await register(['message.created', 'message.recalled', 'group.member_joined', 'group.member_left']);
    const group = (await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob', 'carol'] })).body.group.id;
    const bob = await connectUser(server, 'bob');
    const sent = await sendText(bob, group, 'hello');
    await bob.ok('message:recall', { conversationId: group, clientId: 'recall-0001', seq: sent.message.seq });
    await admin.delete(`/groups/${group}/members/carol`);
    await receiver.until((r) => r.accepted.length === 4, 'four deliveries');

    expect(receiver.accepted.map((event) => event.type)).toEqual([
      'group.member_joined',
      'message.created',
      'message.recalled',
      'group.member_left',
    ]);
    const [joined, created, recalled, left] = receiver.accepted;
    expect(joined!.data).toMatchObject({ conversationId: group, userIds: ['bob', 'carol'], actorId: 'alice', via: 'added' });
    expect(created!.data).toMatchObject({ conversationId: group, message: sent.message });
    expect(recalled!.data).toMatchObject({ targetSeq: sent.message.seq, by: 'bob', moderated: false });
    expect(left!.data).toMatchObject({ userId: 'carol', actorId: 'alice', reason: 'removed' });

    const verifier = new Webhook(secret);
    for (const request of receiver.received) {
      expect(signatureValid(secret, request)).toBe(true);
      expect(request.headers['webhook-id']).toBe(JSON.parse(request.body).id);
      expect(() => verifier.verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      expect(signatureValid(secret, { ...request, body: `${request.body} ` })).toBe(false);
      expect(signatureValid('whsec_' + Buffer.from('x'.repeat(24)).toString('base64'), request)).toBe(false);
    }
    expect(new Set(receiver.accepted.map((event) => event.id)).size).toBe(4);
  });

  it('sends only what an endpoint asked for, and nothing once it is removed', async () => {
    const hook = await register(['group.member_left']);
    const group = (await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob', 'carol'] })).body.group.id;
    const bob = await connectUser(server, 'bob');
    await sendText(bob, group, 'not wanted');
    await bob.ok('group:leave', { conversationId: group });
    await receiver.until((r) => r.accepted.length === 1, 'the leave');
    expect(receiver.accepted[0]!.type).toBe('group.member_left');
    expect((await admin.get('/webhooks')).body.webhooks).toEqual([
      { id: hook.id, url: receiver.url, events: ['group.member_left'], createdAt: expect.any(Number) },
    ]);
    expect((await admin.delete(`/webhooks/${hook.id}`)).status).toBe(200);
    await admin.delete(`/groups/${group}/members/carol`);
    await sendText(await connectUser(server, 'alice'), group, 'flush');
    expect(receiver.accepted).toHaveLength(1);
    expect((await admin.post('/webhooks', { url: receiver.url, events: ['message.nonsense'] })).status).toBe(400);
  });

  it('retries with backoff until the receiver takes them, keeping each conversation in order', async () => {
    await register(['message.created']);
    let failures = 0;
    receiver.respond = () => (failures++ < 6 ? 500 : 200);
    const alice = await connectUser(server, 'alice');
    const first = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const second = (await alice.ok('conversation:start', { userId: 'carol' })).conversation.id;
    for (let i = 1; i <= 5; i++) {
      await sendText(alice, first, `first ${i}`);
      await sendText(alice, second, `second ${i}`);
    }
    await receiver.until((r) => r.accepted.length === 10, 'ten accepted deliveries');
    expect(receiver.received.filter((request) => request.status === 500)).toHaveLength(6);
    for (const conversationId of [first, second]) {
      const seqs = receiver.accepted.filter((event) => event.data['conversationId'] === conversationId).map((event) => event.data['seq']);
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
    }
    const attempts = receiver.received.map((request) => request.headers['webhook-id']);
    expect(new Set(attempts).size).toBe(10);
  });

  it('fails a send whose events could not be queued, and queues them once when the send is retried', async () => {
    await register(['message.created']);
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    // The queue's storage fails once, as a full disk would, after the message itself was stored.
    const queue = server.storage.webhooks.write;
    const enqueue = queue.enqueue.bind(queue);
    let failures = 1;
    queue.enqueue = (...args) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : enqueue(...args));
    const payload = { conversationId: chat, clientId: 'queue-fails-1', body: { type: 'text' as const, text: 'hello' } };

    const failed = await alice.command('message:send', payload);
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    // It did commit, so the other member has it live all the same.
    const delivered = await bob.waitFor('message:new', (message) => message.clientId === 'queue-fails-1');

    const retried = await alice.ok('message:send', payload);
    expect(retried.message).toEqual(delivered);
    await receiver.until((r) => r.accepted.length === 1, 'the queued event');
    await sendText(alice, chat, 'flush');
    await receiver.until((r) => r.accepted.length === 2, 'the next event');
    expect(receiver.accepted.map((event) => event.data['message'].clientId)).toEqual(['queue-fails-1', expect.any(String)]);
    expect(bob.received['message:new'].filter((message) => message.clientId === 'queue-fails-1')).toHaveLength(1);
  });

  it("tells when a member confirms a group's announcement, one event per member and announcement, even after a failed queue", async () => {
    await register(['announcement.confirmed']);
    const group = (await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob', 'carol'] })).body.group.id;
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const bobTablet = await connectUser(server, 'bob');
    const carol = await connectUser(server, 'carol');
    const posted = await alice.ok('group:update', { conversationId: group, announcement: 'Standup moves to 10:00' });
    const announcementSeq = posted.conversation.type === 'group' ? posted.conversation.announcementSeq : 0;
    expect(announcementSeq).toBeGreaterThan(0);

    const before = Date.now();
    await bob.ok('group:confirm-announcement', { conversationId: group, announcementSeq });
    // Bob's second device confirms too: nothing changed, nothing more is sent.
    await bobTablet.ok('group:confirm-announcement', { conversationId: group, announcementSeq });
    // Carol's confirmation commits but its event cannot be queued; her retry queues it.
    const queue = server.storage.webhooks.write;
    const enqueue = queue.enqueue.bind(queue);
    let failures = 1;
    queue.enqueue = (...args) => (failures-- > 0 ? Promise.reject(new Error('disk full')) : enqueue(...args));
    expect(await carol.command('group:confirm-announcement', { conversationId: group, announcementSeq })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
    await carol.ok('group:confirm-announcement', { conversationId: group, announcementSeq });
    // Delivery is at least once: a repeated confirmation may be delivered again, under the same id.
    const firstOfEach = (r: WebhookReceiver) => [...new Map(r.accepted.map((event) => [event.id, event])).values()];
    await receiver.until((r) => firstOfEach(r).length === 2, 'two confirmations');

    expect(firstOfEach(receiver)).toEqual([
      {
        id: expect.any(String),
        type: 'announcement.confirmed',
        createdAt: expect.any(Number),
        data: {
          conversationId: group,
          userId: 'bob',
          announcementSeq,
          announcement: 'Standup moves to 10:00',
          confirmedAt: expect.any(Number),
          confirmedCount: 2,
          memberCount: 3,
        },
      },
      expect.objectContaining({
        type: 'announcement.confirmed',
        data: expect.objectContaining({ userId: 'carol', announcementSeq, confirmedCount: 3, memberCount: 3 }),
      }),
    ]);
    expect(firstOfEach(receiver)[0]!.data['confirmedAt']).toBeGreaterThanOrEqual(before);

    // A new announcement is a new version: confirming it is a new event.
    const next = await alice.ok('group:update', { conversationId: group, announcement: 'Standup is back at 9:30' });
    const nextSeq = next.conversation.type === 'group' ? next.conversation.announcementSeq : 0;
    await bob.ok('group:confirm-announcement', { conversationId: group, announcementSeq: nextSeq });
    await receiver.until((r) => firstOfEach(r).length === 3, 'the confirmation of the new announcement');
    expect(firstOfEach(receiver)[2]!.data).toMatchObject({
      userId: 'bob',
      announcementSeq: nextSeq,
      announcement: 'Standup is back at 9:30',
      confirmedCount: 2,
    });
  });

  it('keeps the queue across a restart', async () => {
    await register(['message.created']);
    receiver.respond = () => 503;
    const alice = await connectUser(server, 'alice');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    for (const text of ['one', 'two', 'three']) await sendText(alice, chat, text);
    await receiver.until((r) => r.received.length >= 2, 'failed attempts');
    await server.restart();
    receiver.respond = () => 200;
    await receiver.until((r) => r.accepted.length === 3, 'the queue delivered after the restart');
    expect(receiver.accepted.map((event) => event.data['message'].body.text)).toEqual(['one', 'two', 'three']);
  });

  it('gives a delivery up after its last attempt, lists it, and goes on with the next', async () => {
    await server.close();
    ({ server, admin } = await startAdminServer({ webhookDelivery: { retryBaseMs: 10, retryMaxMs: 20, maxAttempts: 3 } }));
    const hook = await register(['message.created']);
    receiver.respond = (request) => (request.body.includes('poison') ? 500 : 200);
    const alice = await connectUser(server, 'alice');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    await sendText(alice, chat, 'poison');
    await sendText(alice, chat, 'after');
    await receiver.until((r) => r.accepted.length === 1, 'the next delivery');
    expect(receiver.received.filter((request) => request.status === 500)).toHaveLength(3);
    const failures = await admin.get(`/webhooks/${hook.id}/failures`);
    expect(failures.body.deliveries).toEqual([
      expect.objectContaining({ eventType: 'message.created', attempts: 3, lastError: 'HTTP 500' }),
    ]);
  });

  it('tells when a user goes offline with unread messages', async () => {
    await register(['user.offline_with_unread']);
    const alice = await connectUser(server, 'alice');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    await sendText(alice, chat, 'are you there?');
    const bob = await connectUser(server, 'bob');
    bob.close();
    alice.close();
    await receiver.until((r) => r.accepted.length === 1, 'the offline event');
    expect(receiver.accepted[0]).toMatchObject({
      type: 'user.offline_with_unread',
      data: { userId: 'bob', unread: { total: 1, conversations: [{ conversationId: chat, unreadCount: 1 }] } },
    });
  });
});
