/**
 * The storage contract for what happens to messages after they are sent (recall, edit),
 * receipts, member settings, and appends from several instances on the same data (as
 * several server processes make them): part of `describeStorageContract`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import type { MessageChangeInput } from '../../src/server/messages/change-decisions.js';
import type { Storage } from '../../src/server/storage/storage.js';

interface MessageContractContext {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}

const text = (value: string) => ({ type: 'text' as const, text: value });
const windowMs = 120_000;

export function describeMessageContract(context: MessageContractContext): void {
  let storage: Storage;
  let chat: string;
  let clientIds = 0;
  beforeEach(async () => {
    storage = context.storage;
    clientIds = 0;
    chat = (
      await storage.conversations.write.ensureSingle({
        id: 'c-messages',
        memberIds: ['alice', 'bob'],
        createdBy: 'alice',
        now: 2000,
      })
    ).id;
  });

  const send = (on: Storage, senderId: string, value: string, clientId = `m-${++clientIds}`) =>
    on.messages.write.append({ conversationId: chat, senderId, clientId, body: text(value), createdAt: 3000 + clientIds });
  const change = (overrides: Partial<MessageChangeInput> & Pick<MessageChangeInput, 'change' | 'seq'>) =>
    storage.messages.write.change({
      conversationId: chat,
      actorId: 'alice',
      clientId: `change-${++clientIds}`,
      createdAt: 3100,
      ...overrides,
    });
  const timeline = async (on: Storage = storage) =>
    (await on.messages.read.history(chat, { afterSeq: 0, limit: 1000 })).messages;

  describe('appends from several instances', () => {
    it('keeps seq gap-free and each clientId stored once when instances append and retry at once', async () => {
      const other = await context.openSameData();
      const perInstance = 60;
      const sends = Array.from({ length: perInstance }, (_, index) => [
        send(storage, index % 2 ? 'alice' : 'bob', `from one ${index}`, `one-${index}`),
        send(other, index % 2 ? 'bob' : 'alice', `from two ${index}`, `two-${index}`),
        // The same message retried on the other instance, as a client that reconnected there.
        send(other, index % 2 ? 'alice' : 'bob', `from one ${index}`, `one-${index}`),
      ]).flat();
      const results = await Promise.all(sends);

      const messages = await timeline(other);
      expect(messages.map((message) => message.seq)).toEqual(
        Array.from({ length: perInstance * 2 }, (_, index) => index + 1),
      );
      expect(new Set(messages.map((message) => `${message.senderId}/${message.clientId}`)).size).toBe(
        perInstance * 2,
      );
      // Each pair of sends of one clientId answered with the one stored message.
      for (let index = 0; index < perInstance; index++) {
        const [first, , retry] = results.slice(index * 3, index * 3 + 3);
        expect(retry!.message).toEqual(first!.message);
        expect([first!.duplicate, retry!.duplicate].sort()).toEqual([false, true]);
      }
      expect((await storage.conversations.read.get(chat))!.lastSeq).toBe(perInstance * 2);
    });
  });

  describe('recall and edit', () => {
    it('records a recall as an event with the next seq and rewrites the target', async () => {
      const { message } = await send(storage, 'alice', 'oops');
      const recalled = await change({ seq: message.seq, change: { type: 'recall', privileged: false, windowMs } });
      expect(recalled.duplicate).toBe(false);
      expect(recalled.event).toMatchObject({ seq: 2, senderId: 'alice', body: { type: 'recall', targetSeq: 1 } });
      expect(recalled.target).toMatchObject({ seq: 1, body: { type: 'recalled', by: 'alice' } });
      expect((await storage.messages.read.at(chat, 1))!.body).toEqual({ type: 'recalled', by: 'alice' });
      expect(await storage.conversations.read.get(chat)).toMatchObject({ lastSeq: 2 });

      const retried = await storage.messages.write.change({
        conversationId: chat,
        actorId: 'alice',
        clientId: recalled.event.clientId,
        seq: 1,
        createdAt: 3200,
        change: { type: 'recall', privileged: false, windowMs },
      });
      expect(retried).toEqual({ ...recalled, duplicate: true });
      await expect(
        change({ seq: 1, change: { type: 'recall', privileged: true, windowMs } }),
      ).rejects.toMatchObject({ code: 'not_editable' });
    });

    it('edits text, marking when, and refuses what the rules refuse', async () => {
      const { message } = await send(storage, 'alice', 'helo');
      const edited = await change({ seq: message.seq, createdAt: 3500, change: { type: 'edit', text: text('hello') } });
      expect(edited.target).toMatchObject({ body: text('hello'), editedAt: 3500 });
      expect(edited.event.body).toEqual({ type: 'edit', targetSeq: 1, text: text('hello') });

      const fromBob = await send(storage, 'bob', 'mine');
      const refusals: [Partial<MessageChangeInput> & Pick<MessageChangeInput, 'change' | 'seq'>, string][] = [
        [{ seq: fromBob.message.seq, change: { type: 'edit', text: text('x') } }, 'forbidden'],
        [{ seq: fromBob.message.seq, change: { type: 'recall', privileged: false, windowMs } }, 'forbidden'],
        [{ seq: 1, createdAt: 3000 + windowMs + 10, change: { type: 'recall', privileged: false, windowMs } }, 'recall_window_passed'],
        [{ seq: 99, change: { type: 'edit', text: text('x') } }, 'not_found'],
        [{ seq: 1, actorId: 'carol', change: { type: 'edit', text: text('x') } }, 'not_found'],
        [{ seq: edited.event.seq, change: { type: 'recall', privileged: true, windowMs } }, 'forbidden'],
      ];
      for (const [input, code] of refusals) await expect(change(input)).rejects.toMatchObject({ code });
      // Nothing refused took a seq.
      expect((await timeline()).map((entry: Message) => entry.seq)).toEqual([1, 2, 3]);
    });
  });

  describe('receipts and member settings', () => {
    it('moves delivered positions forward only, with reading, and counts readers', async () => {
      for (let i = 0; i < 3; i++) await send(storage, 'alice', `m${i}`);
      expect(await storage.reads.write.markDelivered(chat, 'bob', 2)).toEqual({ deliveredSeq: 2, readSeq: 0, changed: true });
      expect(await storage.reads.write.markDelivered(chat, 'bob', 1)).toEqual({ deliveredSeq: 2, readSeq: 0, changed: false });
      expect(await storage.reads.write.markDelivered(chat, 'bob', 50)).toMatchObject({ deliveredSeq: 3, changed: true });
      await expect(storage.reads.write.markDelivered(chat, 'carol', 1)).rejects.toMatchObject({ code: 'not_found' });
      await storage.reads.write.markRead(chat, 'bob', 2);
      expect(await storage.reads.read.receipts(chat)).toEqual([
        { conversationId: chat, userId: 'alice', deliveredSeq: 3, readSeq: 3 },
        { conversationId: chat, userId: 'bob', deliveredSeq: 3, readSeq: 2 },
      ]);
      expect(await storage.reads.read.readers(chat, { seq: 2, senderId: 'alice', limit: 10 })).toEqual({
        readCount: 1,
        readerIds: ['bob'],
        audience: 1,
      });
      expect(await storage.reads.read.readers(chat, { seq: 3, senderId: 'alice', limit: 10 })).toEqual({
        readCount: 0,
        readerIds: [],
        audience: 1,
      });
    });

    it('pins, mutes, hides until something newer arrives, and marks unread until read', async () => {
      await send(storage, 'bob', 'first');
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
      await send(storage, 'bob', 'second');
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
