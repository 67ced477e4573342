/**
 * The storage contract for what the host's backend integrates with: user accounts,
 * idempotency keys and the webhook queue. Part of `describeStorageContract`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/server/storage/storage.js';
import type { WebhookEvent } from '../../src/server/storage/webhook-storage.js';

interface IntegrationContractContext {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}

export function describeIntegrationContract(context: IntegrationContractContext): void {
  describe('user accounts', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = context.storage;
    });

    it('saves profiles with a bot flag and roles, keeping what an update leaves out', async () => {
      const saved = await storage.saveUserAccount({ user: { id: 'bot', name: 'Bot', avatar: null }, bot: true, roles: ['b', 'a', 'a'] }, 5000);
      expect(saved).toEqual({
        user: { id: 'bot', name: 'Bot', avatar: null, bot: true },
        bot: true,
        roles: ['a', 'b'],
        blockedAt: null,
        deletedAt: null,
        createdAt: 5000,
        updatedAt: 5000,
      });
      const renamed = await storage.saveUserAccount({ user: { id: 'bot', name: 'Shop', avatar: null } }, 6000);
      expect(renamed).toMatchObject({ user: { name: 'Shop', bot: true }, roles: ['a', 'b'], createdAt: 5000, updatedAt: 6000 });
      expect((await storage.getUsers(['bot']))[0]).toEqual({ id: 'bot', name: 'Shop', avatar: null, bot: true });
      expect(await storage.getUserAccount('nobody')).toBeNull();
    });

    it('blocks and unblocks, idempotently', async () => {
      expect((await storage.setUserBlocked('alice', true, 7000)).blockedAt).toBe(7000);
      expect((await storage.setUserBlocked('alice', true, 8000)).blockedAt).toBe(7000);
      expect((await storage.setUserBlocked('alice', false, 9000)).blockedAt).toBeNull();
      await expect(storage.setUserBlocked('nobody', true, 1)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('deletes for good: a placeholder profile, no push subscriptions, no saving again, not found by search', async () => {
      await storage.savePushSubscription({ endpoint: 'https://push.example/1', userId: 'bob', p256dh: 'k', auth: 'a' }, 1);
      const deleted = await storage.markUserDeleted('bob', 9000);
      expect(deleted).toMatchObject({ user: { id: 'bob', name: 'Deleted user', avatar: null, deleted: true }, deletedAt: 9000 });
      expect((await storage.markUserDeleted('bob', 9500)).deletedAt).toBe(9000);
      expect((await storage.pushTargets({ conversationId: 'x', senderId: 'alice', userIds: ['bob'] })).subscriptions).toEqual([]);
      await expect(storage.saveUserAccount({ user: { id: 'bob', name: 'Bob', avatar: null } }, 1)).rejects.toMatchObject({
        code: 'user_deleted',
      });
      expect(await storage.searchUsers('', { excludeId: 'alice', limit: 10 })).not.toContainEqual(
        expect.objectContaining({ id: 'bob' }),
      );
    });

    it('erases what a user wrote, leaving the seqs and other people\'s messages', async () => {
      const { id } = await storage.conversations.write.ensureSingle({ id: 'c-erase', memberIds: ['alice', 'bob'], createdBy: 'alice', now: 1 });
      const append = (senderId: string, clientId: string, text: string, replyTo?: { seq: number }) =>
        storage.messages.write.append({
          conversationId: id,
          senderId,
          clientId,
          body: { type: 'text', text },
          createdAt: 2,
          ...(replyTo ? { replyTo: { seq: replyTo.seq, senderId: 'bob', type: 'text' as const, excerpt: 'secret' } } : {}),
        });
      const secret = await append('bob', 'bob-00001', 'secret');
      await storage.messages.write.change({
        conversationId: id,
        actorId: 'bob',
        clientId: 'bob-00002',
        seq: secret.message.seq,
        createdAt: 3,
        change: { type: 'edit', text: { type: 'text', text: 'secret, edited' } },
      });
      const reply = await append('alice', 'alice-0001', 'ok', { seq: secret.message.seq });
      await storage.eraseUserMessages('bob');
      const { messages } = await storage.messages.read.history(id, { limit: 10 });
      expect(messages.map((message) => [message.seq, message.body])).toEqual([
        [1, { type: 'recalled', by: 'bob' }],
        [2, { type: 'recall', targetSeq: 1 }],
        [3, { type: 'text', text: 'ok' }],
      ]);
      expect(messages.find((message) => message.seq === reply.message.seq)?.replyTo).toEqual({
        seq: 1,
        senderId: 'bob',
        type: 'recalled',
        excerpt: '',
      });
      expect((await storage.searchMessages('alice', { query: 'secret', limit: 10 })).messages).toEqual([]);
    });
  });

  describe('idempotency keys', () => {
    const request = (fingerprint = 'f1', now = 1000) => ({ scope: 'key:a', key: 'k1', fingerprint, now, staleBefore: now - 60_000 });

    it('claims a key once, keeps its answer, and tells another request apart', async () => {
      const { storage } = context;
      expect(await storage.claimIdempotencyKey(request())).toEqual({ state: 'claimed' });
      expect(await storage.claimIdempotencyKey(request())).toEqual({ state: 'in_progress' });
      await storage.finishIdempotentRequest({ scope: 'key:a', key: 'k1', status: 201, body: '{"a":1}' });
      const reopened = await context.openSameData();
      expect(await reopened.claimIdempotencyKey(request())).toEqual({ state: 'answered', status: 201, body: '{"a":1}' });
      expect(await storage.claimIdempotencyKey(request('f2'))).toEqual({ state: 'mismatch' });
      expect(await storage.claimIdempotencyKey({ ...request(), scope: 'key:b' })).toEqual({ state: 'claimed' });
    });

    it('lets a released or abandoned claim be taken again, and forgets old keys', async () => {
      const { storage } = context;
      await storage.claimIdempotencyKey(request());
      await storage.releaseIdempotencyKey({ scope: 'key:a', key: 'k1' });
      expect(await storage.claimIdempotencyKey(request())).toEqual({ state: 'claimed' });
      expect(await storage.claimIdempotencyKey(request('f1', 1000 + 120_000))).toEqual({ state: 'claimed' });
      await storage.finishIdempotentRequest({ scope: 'key:a', key: 'k1', status: 200, body: '' });
      await storage.pruneIdempotencyKeys(1000 + 120_001);
      expect(await storage.claimIdempotencyKey(request('f3', 500_000))).toEqual({ state: 'claimed' });
    });
  });

  describe('webhook queue', () => {
    const endpoint = (id: string) => ({ id, url: `https://host.example/${id}`, events: ['message.created'], secret: 'whsec_x', createdAt: 1 });
    const event = (id: string, orderKey: string, createdAt = 100): WebhookEvent => ({
      id,
      type: 'message.created',
      orderKey,
      payload: `{"id":"${id}"}`,
      createdAt,
    });
    const due = (storage: Storage, now = 1000, excluding: string[] = []) =>
      storage.dueWebhookDeliveries({ now, limit: 10, excluding });

    it('keeps endpoints, and queues an event once per endpoint', async () => {
      const { storage } = context;
      await storage.saveWebhook(endpoint('w1'));
      await storage.saveWebhook(endpoint('w2'));
      expect((await storage.listWebhooks()).map((hook) => hook.id)).toEqual(['w1', 'w2']);
      await storage.enqueueWebhookEvent(event('e1', 'c1'), ['w1', 'w2', 'missing']);
      await storage.enqueueWebhookEvent(event('e1', 'c1'), ['w1']);
      const deliveries = await due(await context.openSameData());
      expect(deliveries.map((delivery) => [delivery.webhookId, delivery.eventId, delivery.attempts])).toEqual([
        ['w1', 'e1', 0],
        ['w2', 'e1', 0],
      ]);
      expect(deliveries[0]).toMatchObject({ url: 'https://host.example/w1', secret: 'whsec_x', payload: '{"id":"e1"}' });
      expect(await storage.deleteWebhook('w2')).toBe(true);
      expect(await storage.deleteWebhook('w2')).toBe(false);
      expect((await due(storage)).map((delivery) => delivery.webhookId)).toEqual(['w1']);
    });

    it('makes only the oldest pending delivery of each order key due, and retries at the time given', async () => {
      const { storage } = context;
      await storage.saveWebhook(endpoint('w1'));
      for (const [id, key] of [['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['b2', 'B']] as const) {
        await storage.enqueueWebhookEvent(event(id, key), ['w1']);
      }
      const heads = await due(storage);
      expect(heads.map((delivery) => delivery.eventId)).toEqual(['a1', 'b1']);
      expect(await due(storage, 1000, heads.map((delivery) => delivery.id))).toEqual([]);

      await storage.failWebhookDelivery(heads[0]!.id, { error: 'HTTP 500', retryAt: 5000 });
      await storage.completeWebhookDelivery(heads[1]!.id);
      expect((await due(storage)).map((delivery) => delivery.eventId)).toEqual(['b2']);
      expect(await storage.nextWebhookAttemptAt()).toBe(100);
      const retried = await due(storage, 5000);
      expect(retried.map((delivery) => [delivery.eventId, delivery.attempts])).toEqual([['a1', 1], ['b2', 0]]);

      await storage.failWebhookDelivery(retried[0]!.id, { error: 'HTTP 502', retryAt: null });
      expect((await due(storage, 5000)).map((delivery) => delivery.eventId)).toEqual(['a2', 'b2']);
      expect(await storage.listFailedWebhookDeliveries('w1', 10)).toEqual([
        { eventId: 'a1', eventType: 'message.created', attempts: 2, lastError: 'HTTP 502', payload: '{"id":"a1"}' },
      ]);
    });
  });
}
