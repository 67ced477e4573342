/**
 * The storage contract of the push area: the VAPID keys and the browsers' subscriptions.
 * Part of `describeStorageContract`, storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';

export function describePushContract(context: { readonly storage: Storage }): void {
  let storage: Storage;
  let withBob: string;
  let withCarol: string;
  beforeEach(async () => {
    storage = context.storage;
    const single = async (a: string, b: string) =>
      (await storage.conversations.write.ensureSingle({ id: `s-${a}-${b}`, memberIds: [a, b], createdBy: a, now: 2000 })).id;
    withBob = await single('alice', 'bob');
    withCarol = await single('alice', 'carol');
  });

  describe('push subscriptions', () => {
    const subscription = (endpoint: string, userId: string) => ({
      endpoint: `https://push.example/${endpoint}`,
      userId,
      p256dh: `key-${endpoint}`,
      auth: `auth-${endpoint}`,
    });

    it('keeps the first VAPID keys offered', async () => {
      const first = await storage.push.write.vapidKeys({ publicKey: 'public-1', privateKey: 'private-1' });
      expect(first).toEqual({ publicKey: 'public-1', privateKey: 'private-1' });
      expect(await storage.push.write.vapidKeys({ publicKey: 'public-2', privateKey: 'private-2' })).toEqual(first);
    });

    it('targets the active members who did not mute, with the names a push shows', async () => {
      await storage.push.write.subscribe(subscription('b1', 'bob'), 1);
      await storage.push.write.subscribe(subscription('c1', 'carol'), 2);
      await storage.push.write.subscribe(subscription('d1', 'dave'), 3);
      const targets = await storage.push.read.targets({ conversationId: withBob, senderId: 'alice', userIds: ['bob', 'dave'] });
      expect(targets).toEqual({ senderName: 'Alice', groupName: null, subscriptions: [subscription('b1', 'bob')] });

      await storage.conversations.write.updateSettings(withBob, 'bob', { notificationsMuted: true }, 10);
      expect((await storage.push.read.targets({ conversationId: withBob, senderId: 'alice', userIds: ['bob'] })).subscriptions).toEqual([]);

      // The browser is signed in as someone else now: the endpoint moves with its new keys.
      await storage.push.write.subscribe({ ...subscription('c1', 'alice'), auth: 'new' }, 4);
      const toAlice = await storage.push.read.targets({ conversationId: withCarol, senderId: 'carol', userIds: ['alice', 'carol'] });
      expect(toAlice.subscriptions).toEqual([{ ...subscription('c1', 'alice'), auth: 'new' }]);

      await storage.push.write.unsubscribe(subscription('c1', 'alice').endpoint, 'carol');
      expect((await storage.push.read.targets({ conversationId: withCarol, senderId: 'carol', userIds: ['alice'] })).subscriptions).toHaveLength(1);
      await storage.push.write.unsubscribe(subscription('c1', 'alice').endpoint, null);
      expect((await storage.push.read.targets({ conversationId: withCarol, senderId: 'carol', userIds: ['alice'] })).subscriptions).toEqual([]);
    });

    it("keeps a user's newest subscriptions only", async () => {
      for (let i = 0; i < 12; i++) await storage.push.write.subscribe(subscription(`e${i}`, 'bob'), 100 + i);
      const { subscriptions } = await storage.push.read.targets({ conversationId: withBob, senderId: 'alice', userIds: ['bob'] });
      expect(subscriptions.map((s) => s.endpoint).sort()).toEqual(
        Array.from({ length: 10 }, (_, i) => `https://push.example/e${i + 2}`).sort(),
      );
    });
  });
}
