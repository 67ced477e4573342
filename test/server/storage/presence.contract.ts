/**
 * The storage contract of the presence area: part of `describeStorageContract`,
 * storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';

export function describePresenceContract(context: { readonly storage: Storage }): void {
  let storage: Storage;
  beforeEach(async () => {
    storage = context.storage;
    const single = (a: string, b: string) =>
      storage.conversations.write.ensureSingle({ id: `s-${a}-${b}`, memberIds: [a, b], createdBy: a, now: 2000 });
    await single('alice', 'bob');
    await single('alice', 'carol');
  });

  describe('presence records', () => {
    it('keeps last-seen times and tells who shares a conversation', async () => {
      await storage.presence.write.setLastSeen('bob', 7000);
      expect(await storage.presence.read.lastSeen(['bob', 'carol', 'nobody'])).toEqual(new Map([['bob', 7000]]));
      expect((await storage.presence.read.sharingConversation('alice', ['bob', 'carol', 'dave', 'bob'])).sort()).toEqual(['bob', 'carol']);
      expect(await storage.presence.read.sharingConversation('bob', ['carol', 'dave'])).toEqual([]);
      expect(await storage.presence.read.sharingConversation('bob', [])).toEqual([]);
    });
  });
}
