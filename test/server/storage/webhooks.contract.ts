/**
 * The storage contract of the webhooks area: endpoints and their delivery queue. Part of
 * `describeStorageContract`.
 */
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';
import type { WebhookEvent } from '../../../src/server/storage/webhooks/contract.js';

interface ContractContext {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}

export function describeWebhookContract(context: ContractContext): void {
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
      storage.webhooks.read.due({ now, limit: 10, excluding });

    it('keeps endpoints, and queues an event once per endpoint', async () => {
      const { storage } = context;
      await storage.webhooks.write.save(endpoint('w1'));
      await storage.webhooks.write.save(endpoint('w2'));
      expect((await storage.webhooks.read.list()).map((hook) => hook.id)).toEqual(['w1', 'w2']);
      await storage.webhooks.write.enqueue(event('e1', 'c1'), ['w1', 'w2', 'missing']);
      await storage.webhooks.write.enqueue(event('e1', 'c1'), ['w1']);
      const deliveries = await due(await context.openSameData());
      expect(deliveries.map((delivery) => [delivery.webhookId, delivery.eventId, delivery.attempts])).toEqual([
        ['w1', 'e1', 0],
        ['w2', 'e1', 0],
      ]);
      expect(deliveries[0]).toMatchObject({ url: 'https://host.example/w1', secret: 'whsec_x', payload: '{"id":"e1"}' });
      expect(await storage.webhooks.write.delete('w2')).toBe(true);
      expect(await storage.webhooks.write.delete('w2')).toBe(false);
      expect((await due(storage)).map((delivery) => delivery.webhookId)).toEqual(['w1']);
    });

    it('makes only the oldest pending delivery of each order key due, and retries at the time given', async () => {
      const { storage } = context;
      await storage.webhooks.write.save(endpoint('w1'));
      for (const [id, key] of [['a1', 'A'], ['b1', 'B'], ['a2', 'A'], ['b2', 'B']] as const) {
        await storage.webhooks.write.enqueue(event(id, key), ['w1']);
      }
      const heads = await due(storage);
      expect(heads.map((delivery) => delivery.eventId)).toEqual(['a1', 'b1']);
      expect(await due(storage, 1000, heads.map((delivery) => delivery.id))).toEqual([]);

      await storage.webhooks.write.fail(heads[0]!.id, { error: 'HTTP 500', retryAt: 5000 });
      await storage.webhooks.write.complete(heads[1]!.id);
      expect((await due(storage)).map((delivery) => delivery.eventId)).toEqual(['b2']);
      expect(await storage.webhooks.read.nextAttemptAt()).toBe(100);
      const retried = await due(storage, 5000);
      expect(retried.map((delivery) => [delivery.eventId, delivery.attempts])).toEqual([['a1', 1], ['b2', 0]]);

      await storage.webhooks.write.fail(retried[0]!.id, { error: 'HTTP 502', retryAt: null });
      expect((await due(storage, 5000)).map((delivery) => delivery.eventId)).toEqual(['a2', 'b2']);
      expect(await storage.webhooks.read.failed('w1', 10)).toEqual([
        { eventId: 'a1', eventType: 'message.created', attempts: 2, lastError: 'HTTP 502', payload: '{"id":"a1"}' },
      ]);
    });
  });
}
