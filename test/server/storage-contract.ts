/**
 * The storage contract suite: every Storage implementation must pass it. It talks to the
 * Storage interface only, so a PostgreSQL implementation runs the same file.
 *
 * @example
 * describeStorageContract('PostgresStorage', async () => ({ storage, openSameData, cleanup }));
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message, User } from '../../src/protocol/index.js';
import type { AppendMessageInput } from '../../src/server/messages/append-decision.js';
import type { Storage } from '../../src/server/storage/storage.js';
import { describeFileContract } from './storage-contract-files.js';
import { describeGroupContract } from './storage-contract-groups.js';
import { describeMessageContract } from './storage-contract-messages.js';
import { describeSearchContract } from './storage-contract-search.js';
import { describeIntegrationContract } from './storage-contract-integrations.js';
import { describeSupportContract } from './storage-contract-support.js';

export interface StorageFixture {
  /** Migrated and empty. */
  storage: Storage;
  /** Another, migrated instance on the same underlying data (a restart, another process). */
  openSameData(): Promise<Storage>;
  /** Closes everything the fixture opened and deletes its data. */
  cleanup(): Promise<void>;
}

/**
 * A fixture whose instances `create` opens on the same data (each one migrated), and
 * whose cleanup closes them all before `removeData`.
 */
export async function storageFixture(
  create: () => Storage,
  removeData: () => Promise<void>,
): Promise<StorageFixture> {
  const opened: Storage[] = [];
  const open = async () => {
    const storage = create();
    opened.push(storage);
    await storage.migrate();
    return storage;
  };
  return {
    storage: await open(),
    openSameData: open,
    cleanup: async () => {
      for (const storage of opened) await storage.close();
      await removeData();
    },
  };
}

const alice: User = { id: 'alice', name: 'Alice', avatar: null };
const bob: User = { id: 'bob', name: 'Bob', avatar: 'https://example.com/bob.png' };
const carol: User = { id: 'carol', name: 'Carol', avatar: null };
const dave: User = { id: 'dave', name: 'Dave', avatar: null };

const text = (value: string) => ({ type: 'text' as const, text: value });

export function describeStorageContract(
  name: string,
  createStorage: () => Promise<StorageFixture>,
): void {
  describe(`${name} (storage contract)`, () => {
    let fixture: StorageFixture;
    let storage: Storage;
    let clientIds = 0;

    beforeEach(async () => {
      fixture = await createStorage();
      storage = fixture.storage;
      for (const user of [alice, bob, carol, dave]) await storage.upsertUser(user, 1000);
    });
    afterEach(() => fixture.cleanup());

    const single = (a: string, b: string, createdBy = a, now = 2000) =>
      storage.conversations.write.ensureSingle({
        id: `c-${[a, b].sort().join('-')}`,
        memberIds: [a, b],
        createdBy,
        now,
      });

    const send = (
      conversationId: string,
      senderId: string,
      overrides: Partial<AppendMessageInput> = {},
    ) =>
      storage.messages.write.append({
        conversationId,
        senderId,
        clientId: `client-${++clientIds}`,
        body: text(`message ${clientIds}`),
        createdAt: 3000 + clientIds,
        ...overrides,
      });

    const seqs = (messages: Message[]) => messages.map((message) => message.seq);

    describe('users', () => {
      it('stores profiles and updates name and avatar', async () => {
        await storage.upsertUser({ ...bob, name: 'Robert', avatar: null }, 1500);
        const users = await storage.getUsers(['bob', 'alice', 'nobody']);
        expect(users.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
          alice,
          { id: 'bob', name: 'Robert', avatar: null },
        ]);
        expect(await storage.getUsers([])).toEqual([]);
      });

      it('searches names and ids case-insensitively, without the caller', async () => {
        await storage.upsertUser({ id: 'u-ärger', name: 'Ärger Öl', avatar: null }, 1000);
        const ids = async (query: string, limit = 20) =>
          (await storage.searchUsers(query, { excludeId: 'alice', limit })).map((u) => u.id);

        expect(await ids('AR')).toEqual(['carol']);
        expect(await ids('ärger')).toEqual(['u-ärger']);
        expect(await ids('öl')).toEqual(['u-ärger']);
        expect(await ids('ALI')).toEqual([]);
        expect(await ids('')).toEqual(['bob', 'carol', 'dave', 'u-ärger']);
        expect(await ids('', 2)).toEqual(['bob', 'carol']);
        expect(await ids('%')).toEqual([]);
      });

      it('never lists anonymous visitors', async () => {
        await storage.createVisitor({ id: 'v_listed', secretHash: 'h', now: 1000 });
        await storage.upsertUser({ id: 'v_listed', name: 'Visitor #1', avatar: null }, 1000);
        expect(await storage.searchUsers('visitor', { excludeId: 'alice', limit: 10 })).toEqual([]);
        expect(await storage.searchUsers('v_listed', { excludeId: 'alice', limit: 10 })).toEqual([]);
      });
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

    describe('appendMessage', () => {
      it('assigns seq 1, 2, 3 and advances lastSeq, updatedAt and the sender readSeq', async () => {
        const { id } = await single('alice', 'bob');
        const first = await send(id, 'alice', { clientId: 'first-message', createdAt: 5000 });
        const second = await send(id, 'bob', { createdAt: 6000 });
        expect(first).toEqual({
          duplicate: false,
          message: {
            id: expect.any(String),
            conversationId: id,
            seq: 1,
            senderId: 'alice',
            clientId: 'first-message',
            body: text(`message ${clientIds - 1}`),
            createdAt: 5000,
          },
        });
        expect(second.message.seq).toBe(2);
        expect(second.message.id).not.toBe(first.message.id);
        expect(await storage.conversations.read.get(id)).toMatchObject({ lastSeq: 2, updatedAt: 6000 });
        expect(await storage.conversations.read.view(id, 'bob')).toMatchObject({
          readSeq: 2,
          lastMessage: second.message,
        });
      });

      it('dedupes on (senderId, clientId): a retry returns the original', async () => {
        const { id } = await single('alice', 'bob');
        const original = await send(id, 'alice', { clientId: 'retry-me-1' });
        const retry = await send(id, 'alice', { clientId: 'retry-me-1', body: text('changed') });
        expect(retry).toEqual({ message: original.message, duplicate: true });
        expect(await storage.messages.read.find('alice', 'retry-me-1')).toEqual(original.message);
        expect(await storage.messages.read.find('bob', 'retry-me-1')).toBeNull();

        const concurrent = await Promise.all([
          send(id, 'alice', { clientId: 'same-turn-1' }),
          send(id, 'alice', { clientId: 'same-turn-1' }),
        ]);
        expect(concurrent.map((result) => result.duplicate)).toEqual([false, true]);
        expect(concurrent[1]!.message).toEqual(concurrent[0]!.message);

        const otherSender = await send(id, 'bob', { clientId: 'retry-me-1' });
        expect(otherSender.duplicate).toBe(false);
        expect(seqs((await storage.messages.read.history(id, { limit: 100 })).messages)).toEqual([1, 2, 3]);
      });

      it('keeps seq gap-free under hundreds of concurrent appends', async () => {
        const conversations = await Promise.all([
          single('alice', 'bob'),
          single('alice', 'carol'),
          single('bob', 'dave'),
        ]);
        const perConversation = 120;
        const results = await Promise.all(
          Array.from({ length: perConversation * conversations.length }, (_, index) => {
            const conversation = conversations[index % conversations.length]!;
            return send(conversation.id, conversation.memberIds[index % 2]!);
          }),
        );
        expect(new Set(results.map((result) => result.message.id)).size).toBe(results.length);
        for (const conversation of conversations) {
          const { messages } = await storage.messages.read.history(conversation.id, { afterSeq: 0, limit: 1000 });
          expect(seqs(messages)).toEqual(Array.from({ length: perConversation }, (_, i) => i + 1));
          expect((await storage.conversations.read.get(conversation.id))!.lastSeq).toBe(perConversation);
        }
      });

      it('resolves only after the commit: another instance sees the message at once', async () => {
        const { id } = await single('alice', 'bob');
        const { message } = await send(id, 'alice');
        const other = await fixture.openSameData();
        expect((await other.messages.read.history(id, { limit: 10 })).messages).toEqual([message]);
        expect(await other.conversations.read.get(id)).toMatchObject({ lastSeq: 1 });
      });

      it('fails one append of a batch without failing the others or leaving a gap', async () => {
        const { id } = await single('alice', 'bob');
        const results = await Promise.allSettled([
          send(id, 'alice'),
          send('no-such-conversation', 'alice'),
          send(id, 'not-a-user'),
          send(id, 'bob'),
        ]);
        expect(results.map((result) => result.status)).toEqual([
          'fulfilled',
          'rejected',
          'rejected',
          'fulfilled',
        ]);
        expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
        const { messages } = await storage.messages.read.history(id, { limit: 10 });
        expect(messages.map((m) => [m.seq, m.senderId])).toEqual([
          [1, 'alice'],
          [2, 'bob'],
        ]);
        expect((await send(id, 'alice')).message.seq).toBe(3);
      });
    });

    describe('getMessages', () => {
      it('pages backwards from the latest and forwards from a seq, always ascending', async () => {
        const { id } = await single('alice', 'bob');
        for (let i = 0; i < 25; i++) await send(id, i % 2 ? 'bob' : 'alice');
        const page = async (query: { beforeSeq?: number; afterSeq?: number; limit: number }) => {
          const result = await storage.messages.read.history(id, query);
          return { seqs: seqs(result.messages), hasMore: result.hasMore };
        };
        const range = (from: number, to: number) =>
          Array.from({ length: to - from + 1 }, (_, i) => from + i);

        expect(await page({ limit: 10 })).toEqual({ seqs: range(16, 25), hasMore: true });
        expect(await page({ beforeSeq: 16, limit: 10 })).toEqual({ seqs: range(6, 15), hasMore: true });
        expect(await page({ beforeSeq: 6, limit: 10 })).toEqual({ seqs: range(1, 5), hasMore: false });
        expect(await page({ afterSeq: 0, limit: 10 })).toEqual({ seqs: range(1, 10), hasMore: true });
        expect(await page({ afterSeq: 20, limit: 9 })).toEqual({ seqs: range(21, 25), hasMore: false });
        expect(await page({ afterSeq: 15, limit: 9 })).toEqual({ seqs: range(16, 24), hasMore: true });
        expect(await page({ afterSeq: 15, limit: 10 })).toEqual({ seqs: range(16, 25), hasMore: false });
        expect(await page({ limit: 25 })).toEqual({ seqs: range(1, 25), hasMore: false });
        expect(await storage.messages.read.history('missing', { limit: 10 })).toEqual({
          messages: [],
          hasMore: false,
        });
      });
    });

    describe('read state', () => {
      it('never moves readSeq backwards and clamps it to lastSeq', async () => {
        const { id } = await single('alice', 'bob');
        for (let i = 0; i < 5; i++) await send(id, 'bob');
        expect(await storage.reads.write.markRead(id, 'alice', 3)).toEqual({ readSeq: 3, deliveredSeq: 3, changed: true });
        expect(await storage.reads.write.markRead(id, 'alice', 2)).toEqual({ readSeq: 3, deliveredSeq: 3, changed: false });
        expect(await storage.reads.write.markRead(id, 'alice', 3)).toEqual({ readSeq: 3, deliveredSeq: 3, changed: false });
        expect(await storage.reads.write.markRead(id, 'alice', 99)).toEqual({ readSeq: 5, deliveredSeq: 5, changed: true });
        expect(await storage.reads.write.markRead(id, 'alice', 99)).toEqual({ readSeq: 5, deliveredSeq: 5, changed: false });
        await expect(storage.reads.write.markRead(id, 'carol', 1)).rejects.toMatchObject({ code: 'not_found' });
        await expect(storage.reads.write.markRead('missing', 'alice', 1)).rejects.toMatchObject({
          code: 'not_found',
        });
      });

      it('derives unreadCount from messages of others after readSeq', async () => {
        const { id } = await single('alice', 'bob');
        for (let i = 0; i < 3; i++) await send(id, 'bob');
        const unread = async (userId: string) =>
          (await storage.conversations.read.view(id, userId))!.unreadCount;

        expect(await unread('alice')).toBe(3);
        expect(await unread('bob')).toBe(0);
        await storage.reads.write.markRead(id, 'alice', 2);
        expect(await unread('alice')).toBe(1);
        // Replying means having read what came before.
        await send(id, 'alice');
        expect(await unread('alice')).toBe(0);
        expect(await unread('bob')).toBe(1);
        expect(await storage.conversations.read.view(id, 'alice')).toMatchObject({ readSeq: 4 });
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

        const elsewhere = await createStorage();
        try {
          await elsewhere.storage.upsertUser(alice, 1000);
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
        const reopened = await fixture.openSameData();
        const again = await reopened.conversations.read.changes('alice', current.cursor, 100);
        expect(again).toMatchObject({ reset: false, conversations: [] });
      });
    });

    describeGroupContract({
      get storage() {
        return storage;
      },
    });

    describeFileContract({
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    });

    describe('messages after sending', () =>
      describeMessageContract({
        get storage() {
          return storage;
        },
        openSameData: () => fixture.openSameData(),
      }),
    );

    describe('search, presence and push', () =>
      describeSearchContract({
        get storage() {
          return storage;
        },
      }),
    );

    describeSupportContract({
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    });

    describeIntegrationContract({
      get storage() {
        return storage;
      },
      openSameData: () => fixture.openSameData(),
    });

    describe('lifecycle', () => {
      it('runs migrations again on reopen without touching the data', async () => {
        const { id } = await single('alice', 'bob');
        const { message } = await send(id, 'alice');
        const reopened = await fixture.openSameData();
        await reopened.migrate();
        await reopened.migrate();
        expect((await reopened.messages.read.history(id, { limit: 10 })).messages).toEqual([message]);
        expect((await reopened.getUsers(['alice']))[0]).toEqual(alice);
      });

      it('rejects with unavailable after close', async () => {
        const { id } = await single('alice', 'bob');
        await storage.close();
        await expect(send(id, 'alice')).rejects.toMatchObject({ code: 'unavailable' });
        await expect(storage.getUsers(['alice'])).rejects.toMatchObject({ code: 'unavailable' });
        await expect(storage.reads.write.markRead(id, 'alice', 1)).rejects.toMatchObject({
          code: 'unavailable',
        });
      });
    });
  });
}
