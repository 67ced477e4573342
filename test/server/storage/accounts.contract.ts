/**
 * The storage contract of the accounts area: profiles, user search and accounts (bot flag,
 * roles, blocking, deletion, erasure). Part of `describeStorageContract`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/protocol/index.js';
import type { Storage } from '../../../src/server/storage/storage.js';

const alice: User = { id: 'alice', name: 'Alice', avatar: null };
const bob: User = { id: 'bob', name: 'Bob', avatar: 'https://example.com/bob.png' };

export function describeAccountContract(context: { readonly storage: Storage }): void {
  describe('users', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = context.storage;
    });

    it('stores profiles and updates name and avatar', async () => {
      await storage.accounts.write.upsertUser({ ...bob, name: 'Robert', avatar: null }, 1500);
      const users = await storage.accounts.read.users(['bob', 'alice', 'nobody']);
      expect(users.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
        alice,
        { id: 'bob', name: 'Robert', avatar: null },
      ]);
      expect(await storage.accounts.read.users([])).toEqual([]);
    });

    it('searches names and ids case-insensitively, without the caller', async () => {
      await storage.accounts.write.upsertUser({ id: 'u-ärger', name: 'Ärger Öl', avatar: null }, 1000);
      const ids = async (query: string, limit = 20) =>
        (await storage.accounts.read.search(query, { excludeId: 'alice', limit })).map((u) => u.id);

      expect(await ids('AR')).toEqual(['carol']);
      expect(await ids('ärger')).toEqual(['u-ärger']);
      expect(await ids('öl')).toEqual(['u-ärger']);
      expect(await ids('ALI')).toEqual([]);
      expect(await ids('')).toEqual(['bob', 'carol', 'dave', 'u-ärger']);
      expect(await ids('', 2)).toEqual(['bob', 'carol']);
      expect(await ids('%')).toEqual([]);
    });

    it('never lists anonymous visitors', async () => {
      await storage.support.write.createVisitor({ id: 'v_listed', secretHash: 'h', now: 1000 });
      await storage.accounts.write.upsertUser({ id: 'v_listed', name: 'Visitor #1', avatar: null }, 1000);
      expect(await storage.accounts.read.search('visitor', { excludeId: 'alice', limit: 10 })).toEqual([]);
      expect(await storage.accounts.read.search('v_listed', { excludeId: 'alice', limit: 10 })).toEqual([]);
    });
  });

  describe('user accounts', () => {
    let storage: Storage;
    beforeEach(() => {
      storage = context.storage;
    });

    it('saves profiles with a bot flag and roles, keeping what an update leaves out', async () => {
      const saved = await storage.accounts.write.save({ user: { id: 'bot', name: 'Bot', avatar: null }, bot: true, roles: ['b', 'a', 'a'] }, 5000);
      expect(saved).toEqual({
        user: { id: 'bot', name: 'Bot', avatar: null, bot: true },
        bot: true,
        roles: ['a', 'b'],
        blockedAt: null,
        deletedAt: null,
        createdAt: 5000,
        updatedAt: 5000,
      });
      const renamed = await storage.accounts.write.save({ user: { id: 'bot', name: 'Shop', avatar: null } }, 6000);
      expect(renamed).toMatchObject({ user: { name: 'Shop', bot: true }, roles: ['a', 'b'], createdAt: 5000, updatedAt: 6000 });
      expect((await storage.accounts.read.users(['bot']))[0]).toEqual({ id: 'bot', name: 'Shop', avatar: null, bot: true });
      expect(await storage.accounts.read.account('nobody')).toBeNull();
    });

    it('blocks and unblocks, idempotently', async () => {
      expect((await storage.accounts.write.setBlocked('alice', true, 7000)).blockedAt).toBe(7000);
      expect((await storage.accounts.write.setBlocked('alice', true, 8000)).blockedAt).toBe(7000);
      expect((await storage.accounts.write.setBlocked('alice', false, 9000)).blockedAt).toBeNull();
      await expect(storage.accounts.write.setBlocked('nobody', true, 1)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('deletes for good: a placeholder profile, no push subscriptions, no saving again, not found by search', async () => {
      await storage.push.write.subscribe({ endpoint: 'https://push.example/1', userId: 'bob', p256dh: 'k', auth: 'a' }, 1);
      const deleted = await storage.accounts.write.markDeleted('bob', 9000);
      expect(deleted).toMatchObject({ user: { id: 'bob', name: 'Deleted user', avatar: null, deleted: true }, deletedAt: 9000 });
      expect((await storage.accounts.write.markDeleted('bob', 9500)).deletedAt).toBe(9000);
      expect((await storage.push.read.targets({ conversationId: 'x', senderId: 'alice', userIds: ['bob'] })).subscriptions).toEqual([]);
      await expect(storage.accounts.write.save({ user: { id: 'bob', name: 'Bob', avatar: null } }, 1)).rejects.toMatchObject({
        code: 'user_deleted',
      });
      expect(await storage.accounts.read.search('', { excludeId: 'alice', limit: 10 })).not.toContainEqual(
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
      await storage.accounts.write.eraseMessages('bob');
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
      expect((await storage.search.read.messages('alice', { query: 'secret', limit: 10 })).messages).toEqual([]);
    });
  });
  describe('blocks between users', () => {
    it('blocks, lists newest first, tells blocks either way, and unblocks', async () => {
      const storage = context.storage;
      const block = (blockerId: string, userId: string, blocked: boolean, now: number) =>
        storage.accounts.write.setUserBlock({ blockerId, userId, blocked, now });
      expect(await block('alice', 'bob', true, 2000)).toEqual({ changed: true, blockedAt: 2000 });
      expect(await block('alice', 'carol', true, 3000)).toEqual({ changed: true, blockedAt: 3000 });
      expect(await block('alice', 'bob', true, 4000)).toEqual({ changed: false, blockedAt: 2000 });
      expect(await storage.accounts.read.blockedBy('alice')).toEqual([
        { userId: 'carol', blockedAt: 3000 },
        { userId: 'bob', blockedAt: 2000 },
      ]);
      expect(await storage.accounts.read.blockedBy('bob')).toEqual([]);
      expect([...(await storage.accounts.read.blockedWith('bob', ['alice', 'carol']))]).toEqual(['alice']);
      expect([...(await storage.accounts.read.blockedWith('alice', ['bob', 'dave']))]).toEqual(['bob']);
      await expect(block('alice', 'nobody', true, 5000)).rejects.toMatchObject({ code: 'not_found' });
      await expect(block('alice', 'alice', true, 5000)).rejects.toMatchObject({ code: 'invalid_payload' });
      expect(await block('alice', 'bob', false, 6000)).toEqual({ changed: true, blockedAt: null });
      expect(await block('alice', 'bob', false, 6000)).toEqual({ changed: false, blockedAt: null });
      expect([...(await storage.accounts.read.blockedWith('bob', ['alice']))]).toEqual([]);
    });
  });
}
