/**
 * The contract of the conversations area: single conversations, each member's view of
 * one, the sync listing of what changed, and each member's own settings.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';
import { text, timelineHelpers, type TimelineContractContext } from './timeline-helpers.js';

export function describeConversationsContract(context: TimelineContractContext): void {
  const { single, send } = timelineHelpers(context);
  let storage: Storage;
  beforeEach(() => {
    storage = context.storage;
  });

  describe('conversations', () => {
    it('creates a single conversation once, however many start it at the same time', async () => {
      const records = await Promise.all([
        single('alice', 'bob'),
        single('alice', 'bob'),
        single('bob', 'alice', 'bob'),
      ]);
      for (const record of records) expect(record).toEqual(records[0]);
      expect(records[0]).toMatchObject({
        type: 'single',
        createdBy: 'alice',
        createdAt: 2000,
        lastSeq: 0,
        updatedAt: 2000,
      });
      expect([...records[0]!.memberIds].sort()).toEqual(['alice', 'bob']);
      expect((await storage.conversations.read.memberIds(records[0]!.id)).sort()).toEqual(['alice', 'bob']);
      expect(await storage.conversations.read.idsOf('alice')).toEqual([records[0]!.id]);
      expect(await storage.conversations.read.idsOf('carol')).toEqual([]);
      expect(await storage.conversations.read.get('missing')).toBeNull();
      expect(await storage.conversations.read.memberIds('missing')).toEqual([]);
    });

    it('shows each member the conversation from their side', async () => {
      const { id } = await single('alice', 'bob');
      expect(await storage.conversations.read.view(id, 'alice')).toEqual({
        id,
        type: 'single',
        peerId: 'bob',
        lastSeq: 0,
        readSeq: 0,
        unreadCount: 0,
        lastMessage: null,
        createdAt: 2000,
        updatedAt: 2000,
        pinnedAt: null,
        notificationsMuted: false,
        hidden: false,
        markedUnread: false,
      });
      expect(await storage.conversations.read.view(id, 'bob')).toMatchObject({ peerId: 'alice' });
      expect(await storage.conversations.read.view(id, 'carol')).toBeNull();
    });
  });

  describe('changedConversations', () => {
    it('lists what changed after the cursor, as the user sees it', async () => {
      const withBob = await single('alice', 'bob');
      const withCarol = await single('carol', 'alice', 'carol');
      await send(withBob.id, 'bob');

      const first = await storage.conversations.read.changes('alice', null, 100);
      expect(first.reset).toBe(false);
      expect(first.hasMore).toBe(false);
      // Alice created the chat with Bob (it has a message too); Carol's is empty.
      expect(first.conversations.map((c) => c.id)).toEqual([withBob.id]);
      expect(first.conversations[0]).toMatchObject({ peerId: 'bob', lastSeq: 1, unreadCount: 1 });

      const quiet = await storage.conversations.read.changes('alice', first.cursor, 100);
      expect(quiet.conversations).toEqual([]);
      expect(quiet.reset).toBe(false);

      await send(withCarol.id, 'carol');
      const next = await storage.conversations.read.changes('alice', quiet.cursor, 100);
      expect(next.conversations.map((c) => [c.id, c.lastSeq])).toEqual([[withCarol.id, 1]]);
      expect((await storage.conversations.read.changes('alice', next.cursor, 100)).conversations).toEqual(
        [],
      );
    });

    it('shows an empty conversation to its creator only', async () => {
      const { id } = await single('alice', 'bob');
      const ids = async (userId: string) =>
        (await storage.conversations.read.changes(userId, null, 100)).conversations.map((c) => c.id);
      expect(await ids('alice')).toEqual([id]);
      expect(await ids('bob')).toEqual([]);
      await send(id, 'alice');
      expect(await ids('bob')).toEqual([id]);
    });

    it('lists own read changes to the reader only, and only when readSeq moved', async () => {
      const { id } = await single('alice', 'bob');
      await send(id, 'bob');
      await send(id, 'bob');
      const aliceCursor = (await storage.conversations.read.changes('alice', null, 100)).cursor;
      const bobCursor = (await storage.conversations.read.changes('bob', null, 100)).cursor;

      await storage.reads.write.markRead(id, 'alice', 1);
      const afterRead = await storage.conversations.read.changes('alice', aliceCursor, 100);
      expect(afterRead.conversations).toMatchObject([{ id, readSeq: 1, unreadCount: 1 }]);
      expect((await storage.conversations.read.changes('bob', bobCursor, 100)).conversations).toEqual([]);

      await storage.reads.write.markRead(id, 'alice', 1);
      expect(
        (await storage.conversations.read.changes('alice', afterRead.cursor, 100)).conversations,
      ).toEqual([]);
    });

    it('pages in ascending order of change', async () => {
      const withBob = await single('alice', 'bob');
      const withCarol = await single('alice', 'carol');
      const withDave = await single('alice', 'dave');
      await send(withDave.id, 'dave');
      await send(withBob.id, 'bob');
      await send(withCarol.id, 'carol');

      const first = await storage.conversations.read.changes('alice', null, 2);
      expect(first.conversations.map((c) => c.id)).toEqual([withDave.id, withBob.id]);
      expect(first.hasMore).toBe(true);
      const second = await storage.conversations.read.changes('alice', first.cursor, 2);
      expect(second.conversations.map((c) => c.id)).toEqual([withCarol.id]);
      expect(second.hasMore).toBe(false);
    });

    it('misses nothing when a page ends among conversations changed by one commit', async () => {
      const chats = [await single('alice', 'bob'), await single('alice', 'carol'), await single('alice', 'dave')];
      const before = (await storage.conversations.read.changes('alice', null, 100)).cursor;
      // Sent together: one batch, one commit, one change version for all three.
      await Promise.all(chats.map((chat) => send(chat.id, chat.memberIds.find((id) => id !== 'alice')!)));
      const seen: string[] = [];
      let cursor = before;
      for (let page = 0; page < 5; page++) {
        const result = await storage.conversations.read.changes('alice', cursor, 1);
        seen.push(...result.conversations.map((c) => c.id));
        cursor = result.cursor;
        if (!result.hasMore) break;
      }
      expect(seen.sort()).toEqual(chats.map((chat) => chat.id).sort());
    });

    it('resets with a full listing for a cursor of another incarnation or garbage', async () => {
      const { id } = await single('alice', 'bob');
      await send(id, 'bob');
      const current = await storage.conversations.read.changes('alice', null, 100);

      const elsewhere = await context.openElsewhere();
      try {
        await elsewhere.storage.accounts.write.upsertUser({ id: 'alice', name: 'Alice', avatar: null }, 1000);
        const foreign = (await elsewhere.storage.conversations.read.changes('alice', null, 100)).cursor;
        for (const cursor of [foreign, 'not a cursor', '']) {
          const result = await storage.conversations.read.changes('alice', cursor, 100);
          expect(result.reset).toBe(true);
          expect(result.conversations.map((c) => c.id)).toEqual([id]);
        }
      } finally {
        await elsewhere.cleanup();
      }

      // The same data opened again is the same incarnation: the cursor stays valid.
      const reopened = await context.openSameData();
      const again = await reopened.conversations.read.changes('alice', current.cursor, 100);
      expect(again).toMatchObject({ reset: false, conversations: [] });
    });
  });

  describe('member settings', () => {
    let chat: string;
    let clientIds = 0;
    beforeEach(async () => {
      chat = (await single('alice', 'bob')).id;
    });
    const sendAs = (senderId: string, value: string) =>
      storage.messages.write.append({ conversationId: chat, senderId, clientId: `s-${++clientIds}`, body: text(value), createdAt: 3000 + clientIds });

    it('pins, mutes, hides until something newer arrives, and marks unread until read', async () => {
      await sendAs('bob', 'first');
      const settings = (changes: Parameters<Storage['conversations']['write']['updateSettings']>[2], now = 5000) =>
        storage.conversations.write.updateSettings(chat, 'alice', changes, now);
      expect(await settings({ pinned: true, notificationsMuted: true })).toMatchObject({
        pinnedAt: 5000,
        notificationsMuted: true,
      });
      expect(await settings({ pinned: true }, 6000)).toMatchObject({ pinnedAt: 5000 });
      expect(await settings({ hidden: true, markedUnread: true })).toMatchObject({ hidden: true, markedUnread: true });
      expect((await storage.conversations.read.view(chat, 'bob'))!).toMatchObject({ hidden: false, pinnedAt: null });

      const cursor = (await storage.conversations.read.changes('alice', null, 10)).cursor;
      await sendAs('bob', 'second');
      expect(await storage.conversations.read.view(chat, 'alice')).toMatchObject({ hidden: false, markedUnread: true });
      expect(await storage.reads.write.markRead(chat, 'alice', 1)).toMatchObject({ readSeq: 1, changed: true });
      expect(await storage.conversations.read.view(chat, 'alice')).toMatchObject({ markedUnread: false });
      expect((await storage.conversations.read.changes('alice', cursor, 10)).conversations).toHaveLength(1);
      expect(await settings({ pinned: false, notificationsMuted: false })).toMatchObject({
        pinnedAt: null,
        notificationsMuted: false,
      });
      await expect(storage.conversations.write.updateSettings(chat, 'carol', { pinned: true }, 1)).rejects.toMatchObject({
        code: 'not_found',
      });
    });
  });
}
