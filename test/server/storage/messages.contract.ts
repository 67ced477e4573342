/**
 * The contract of the messages area: appends (dedupe, gap-free seqs under concurrency and
 * from several instances, refusals that leave no gap), history pages, recall, edit and
 * reactions, played voice messages.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/protocol/index.js';
import type { MessageChangeInput } from '../../../src/server/messages/change-decisions.js';
import type { ReactionInput } from '../../../src/server/messages/reaction-decisions.js';
import type { PlayInput } from '../../../src/server/messages/play-decisions.js';
import type { Storage } from '../../../src/server/storage/storage.js';
import { seqs, text, timelineHelpers, type TimelineContractContext } from './timeline-helpers.js';

const windowMs = 120_000;

export function describeMessagesContract(context: TimelineContractContext): void {
  const { single, send, lastSent } = timelineHelpers(context);
  let storage: Storage;
  beforeEach(() => {
    storage = context.storage;
  });

  describe('append', () => {
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
          body: text(`message ${lastSent() - 1}`),
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

    it('gives messages sent together to one conversation the next seqs, the newest time and each sender their last seq as read', async () => {
      const { id } = await single('alice', 'bob');
      const other = await single('alice', 'carol');
      await send(id, 'bob', { createdAt: 4000 });
      const { cursor } = await storage.conversations.read.changes('alice', null, 10);
      const sent = await Promise.all([
        send(id, 'alice', { createdAt: 7000 }),
        send(other.id, 'alice', { createdAt: 7100 }),
        send(id, 'bob', { createdAt: 9000 }),
        send(id, 'alice', { createdAt: 8000 }),
        send(other.id, 'carol', { createdAt: 7200 }),
      ]);
      expect(sent.map(({ message }) => [message.conversationId, message.seq])).toEqual([
        [id, 2],
        [other.id, 1],
        [id, 3],
        [id, 4],
        [other.id, 2],
      ]);
      expect(await storage.conversations.read.get(id)).toMatchObject({ lastSeq: 4, updatedAt: 9000 });
      expect(await storage.conversations.read.get(other.id)).toMatchObject({ lastSeq: 2, updatedAt: 7200 });
      expect(await storage.conversations.read.view(id, 'alice')).toMatchObject({ lastSeq: 4, readSeq: 4, unreadCount: 0 });
      expect(await storage.conversations.read.view(id, 'bob')).toMatchObject({ readSeq: 3, unreadCount: 1 });
      expect(await storage.conversations.read.view(other.id, 'alice')).toMatchObject({ readSeq: 1, unreadCount: 1 });
      const changed = await storage.conversations.read.changes('alice', cursor, 10);
      expect(changed.conversations.map((conversation) => conversation.id).sort()).toEqual([id, other.id].sort());
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
      const other = await context.openSameData();
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

  describe('history', () => {
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

  describe('after sending', () => {
    let chat: string;
    let clientIds = 0;
    beforeEach(async () => {
      clientIds = 0;
      chat = (await storage.conversations.write.ensureSingle({ id: 'c-messages', memberIds: ['alice', 'bob'], createdBy: 'alice', now: 2000 })).id;
    });
    const sendAs = (on: Storage, senderId: string, value: string, clientId = `m-${++clientIds}`) =>
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
          sendAs(storage, index % 2 ? 'alice' : 'bob', `from one ${index}`, `one-${index}`),
          sendAs(other, index % 2 ? 'bob' : 'alice', `from two ${index}`, `two-${index}`),
          // The same message retried on the other instance, as a client that reconnected there.
          sendAs(other, index % 2 ? 'alice' : 'bob', `from one ${index}`, `one-${index}`),
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
        const { message } = await sendAs(storage, 'alice', 'oops');
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
        const { message } = await sendAs(storage, 'alice', 'helo');
        const edited = await change({ seq: message.seq, createdAt: 3500, change: { type: 'edit', text: text('hello') } });
        expect(edited.target).toMatchObject({ body: text('hello'), editedAt: 3500 });
        expect(edited.event.body).toEqual({ type: 'edit', targetSeq: 1, text: text('hello') });

        const fromBob = await sendAs(storage, 'bob', 'mine');
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

    describe('reactions', () => {
      const react = (overrides: Partial<ReactionInput> & Pick<ReactionInput, 'seq'>) =>
        storage.messages.write.react({ conversationId: chat, actorId: 'bob', emoji: '👍', on: true, createdAt: 4000, ...overrides });

      it('records each change as an event with the next seq, keeps the state on the target, and changes nothing twice', async () => {
        const { message } = await sendAs(storage, 'alice', 'lunch?');
        const before = await storage.conversations.read.view(chat, 'alice');
        const first = await react({ seq: message.seq });
        expect(first.event).toMatchObject({
          seq: 2,
          senderId: 'bob',
          body: { type: 'reaction', targetSeq: 1, emoji: '👍', on: true, reactions: [{ emoji: '👍', userIds: ['bob'] }] },
        });
        expect(first.target.reactions).toEqual({ seq: 2, items: [{ emoji: '👍', userIds: ['bob'] }] });
        const second = await react({ seq: 1, actorId: 'alice', emoji: '❤️' });
        const expected = { seq: 3, items: [{ emoji: '👍', userIds: ['bob'] }, { emoji: '❤️', userIds: ['alice'] }] };
        expect(second.target.reactions).toEqual(expected);

        // Another instance reads the same state, in history and by seq.
        const other = await context.openSameData();
        expect((await other.messages.read.at(chat, 1))!.reactions).toEqual(expected);
        expect((await timeline(other))[0]!.reactions).toEqual(expected);

        // Asking again for what is so appends nothing.
        expect(await react({ seq: 1 })).toEqual({ event: null, target: second.target });
        expect(await react({ seq: 1, emoji: '😮', on: false })).toEqual({ event: null, target: second.target });
        expect((await timeline()).map((entry: Message) => entry.seq)).toEqual([1, 2, 3]);

        // Nobody's unread, and the conversation keeps its place in the list; reacting to a
        // message is having read it, as writing is.
        const after = await storage.conversations.read.view(chat, 'alice');
        expect(after).toMatchObject({ lastSeq: 3, unreadCount: 0, updatedAt: before!.updatedAt });
        expect(await storage.conversations.read.view(chat, 'bob')).toMatchObject({ unreadCount: 0, readSeq: 2 });
      });

      it('takes reactions back, keeping the seq of the change, and a recall takes them all', async () => {
        await sendAs(storage, 'alice', 'lunch?');
        await react({ seq: 1 });
        const off = await react({ seq: 1, on: false });
        expect(off.event?.body).toEqual({ type: 'reaction', targetSeq: 1, emoji: '👍', on: false, reactions: [] });
        expect(off.target.reactions).toEqual({ seq: 3, items: [] });

        await react({ seq: 1, emoji: '😂' });
        await change({ seq: 1, change: { type: 'recall', privileged: false, windowMs } });
        expect((await storage.messages.read.at(chat, 1))!.reactions).toBeUndefined();
        await expect(react({ seq: 1, emoji: '🎉' })).rejects.toMatchObject({ code: 'not_editable' });
      });

      it('leaves a conversation someone hid hidden, as a message would not', async () => {
        await sendAs(storage, 'alice', 'lunch?');
        await storage.conversations.write.updateSettings(chat, 'alice', { hidden: true }, 5000);
        await react({ seq: 1 });
        await react({ seq: 1, emoji: '😂' });
        expect(await storage.conversations.read.view(chat, 'alice')).toMatchObject({ hidden: true, lastSeq: 3 });
        await sendAs(storage, 'bob', 'hello?');
        expect(await storage.conversations.read.view(chat, 'alice')).toMatchObject({ hidden: false });
      });

      it('refuses what the rules refuse without taking a seq', async () => {
        await sendAs(storage, 'alice', 'lunch?');
        for (const emoji of ['👍', '❤️', '😂']) await react({ seq: 1, emoji });
        const refusals: [Partial<ReactionInput> & Pick<ReactionInput, 'seq'>, string][] = [
          [{ seq: 1, emoji: '😮' }, 'reaction_limit'],
          [{ seq: 99 }, 'not_found'],
          [{ seq: 1, actorId: 'carol' }, 'not_found'],
          [{ seq: 2 }, 'forbidden'],
        ];
        for (const [input, code] of refusals) await expect(react(input)).rejects.toMatchObject({ code });
        expect((await timeline()).map((entry: Message) => entry.seq)).toEqual([1, 2, 3, 4]);
      });
    });

    describe('played voice messages', () => {
      const voice = {
        type: 'voice' as const,
        file: { id: 'file-voice-1', name: 'voice.webm', mime: 'audio/webm', size: 1200 },
        duration: 2500,
        waveform: [0, 40, 100, 20],
      };
      const sendVoice = async (senderId: string) => {
        const { file } = voice;
        await storage.files.write.add({
          ...file,
          conversationId: chat,
          uploaderId: senderId,
          width: null,
          height: null,
          durationMs: null,
          storageKey: 'blob-voice-1',
          createdAt: 2500,
        });
        return storage.messages.write.append({ conversationId: chat, senderId, clientId: `v-${++clientIds}`, body: voice, createdAt: 3000 + clientIds });
      };
      const play = (overrides: Partial<PlayInput> & Pick<PlayInput, 'seq'>) =>
        storage.messages.write.play({ conversationId: chat, actorId: 'bob', playedAt: 5000, ...overrides });
      const historyOf = async (viewerId: string, on: Storage = storage) =>
        (await on.messages.read.history(chat, { afterSeq: 0, limit: 100, viewerId })).messages;

      it('records a play once, shows it to the player and counts it for the sender, in history and on another instance', async () => {
        const { message } = await sendVoice('alice');
        expect((await historyOf('bob'))[0]).not.toHaveProperty('played');
        expect(await play({ seq: message.seq })).toEqual({ changed: true, senderId: 'alice', playedCount: 1 });
        // Again, on another device: nothing changes, the count stays.
        expect(await play({ seq: message.seq, playedAt: 6000 })).toEqual({ changed: false, senderId: 'alice', playedCount: 1 });
        // The sender's own play is no play.
        expect(await play({ seq: message.seq, actorId: 'alice' })).toEqual({ changed: false, senderId: 'alice', playedCount: 1 });

        const other = await context.openSameData();
        expect((await historyOf('bob', other))[0]).toMatchObject({ seq: 1, played: true });
        expect((await historyOf('bob', other))[0]).not.toHaveProperty('playedCount');
        expect((await historyOf('alice', other))[0]).toMatchObject({ seq: 1, playedCount: 1 });
        expect((await historyOf('alice', other))[0]).not.toHaveProperty('played');
        // The host's view (no viewer) has neither; nor does the message by its seq.
        expect((await timeline(other))[0]).not.toHaveProperty('played');
        expect((await timeline(other))[0]).not.toHaveProperty('playedCount');
        expect(await other.messages.read.players(chat, 1, 10)).toEqual({ playedCount: 1, players: [{ userId: 'bob', playedAt: 5000 }] });
        // No seq taken, nobody's unread moved.
        expect((await timeline()).map((entry: Message) => entry.seq)).toEqual([1]);
      });

      it("lists the play in the next sync of the player's and the sender's devices, not in a first sync", async () => {
        const { message } = await sendVoice('alice');
        const bobCursor = (await storage.conversations.read.changes('bob', null, 10)).cursor;
        const aliceCursor = (await storage.conversations.read.changes('alice', null, 10)).cursor;
        await play({ seq: message.seq });
        const bobSync = await storage.conversations.read.changes('bob', bobCursor, 10);
        expect(bobSync.conversations.map((conversation) => conversation.id)).toEqual([chat]);
        expect(bobSync.plays).toEqual([{ conversationId: chat, seq: 1, played: true, playedCount: 0 }]);
        const aliceSync = await storage.conversations.read.changes('alice', aliceCursor, 10);
        expect(aliceSync.plays).toEqual([{ conversationId: chat, seq: 1, played: false, playedCount: 1 }]);
        // Nothing new since: nothing listed again.
        expect((await storage.conversations.read.changes('bob', bobSync.cursor, 10)).plays).toEqual([]);
        expect((await storage.conversations.read.changes('bob', null, 10)).plays).toEqual([]);
      });

      it('refuses what is not a voice message and people who are not members, recording nothing', async () => {
        const { message } = await sendVoice('alice');
        await sendAs(storage, 'alice', 'listen to this');
        const refusals: [Partial<PlayInput> & Pick<PlayInput, 'seq'>, string][] = [
          [{ seq: 2 }, 'invalid_payload'],
          [{ seq: 99 }, 'not_found'],
          [{ seq: message.seq, actorId: 'carol' }, 'not_found'],
        ];
        for (const [input, code] of refusals) await expect(play(input)).rejects.toMatchObject({ code });
        expect(await storage.messages.read.players(chat, 1, 10)).toEqual({ playedCount: 0, players: [] });
      });
    });
  });
}
