/**
 * The contract of the read-state area: read and delivered positions move forward only,
 * unread counts derive from them, receipts and readers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';
import { text, timelineHelpers, type TimelineContractContext } from './timeline-helpers.js';

export function describeReadsContract(context: TimelineContractContext): void {
  const { single, send } = timelineHelpers(context);
  let storage: Storage;
  beforeEach(() => {
    storage = context.storage;
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

  describe('receipts', () => {
    let chat: string;
    let clientIds = 0;
    beforeEach(async () => {
      chat = (await single('alice', 'bob')).id;
    });
    const sendAs = (senderId: string, value: string) =>
      storage.messages.write.append({ conversationId: chat, senderId, clientId: `r-${++clientIds}`, body: text(value), createdAt: 3000 + clientIds });

    it('moves delivered positions forward only, with reading, and counts readers', async () => {
      for (let i = 0; i < 3; i++) await sendAs('alice', `m${i}`);
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
  });
}
