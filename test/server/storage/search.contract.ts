/**
 * The storage contract of the search area: part of `describeStorageContract`,
 * storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { MessageSearchQuery } from '../../../src/server/storage/search/contract.js';
import type { Storage } from '../../../src/server/storage/storage.js';

const text = (value: string) => ({ type: 'text' as const, text: value });

export function describeSearchContract(context: { readonly storage: Storage }): void {
  let storage: Storage;
  let withBob: string;
  let withCarol: string;
  let clientIds = 0;
  beforeEach(async () => {
    storage = context.storage;
    const single = async (a: string, b: string) =>
      (await storage.conversations.write.ensureSingle({ id: `s-${a}-${b}`, memberIds: [a, b], createdBy: a, now: 2000 })).id;
    withBob = await single('alice', 'bob');
    withCarol = await single('alice', 'carol');
  });

  const send = (conversationId: string, senderId: string, value: string) =>
    storage.messages.write.append({
      conversationId,
      senderId,
      clientId: `search-${++clientIds}`,
      body: text(value),
      createdAt: 3000 + clientIds,
    });
  const texts = async (userId: string, query: Omit<MessageSearchQuery, 'limit'> & { limit?: number }) =>
    (await storage.search.read.messages(userId, { limit: 20, ...query })).messages.map((message) =>
      message.body.type === 'text' ? message.body.text : message.body.type,
    );

  describe('search', () => {
    it('finds substrings in any case and script, newest first, as plain text', async () => {
      await send(withBob, 'bob', 'Meet me at the Lighthouse');
      await send(withBob, 'alice', 'lighthouse keepers');
      await send(withCarol, 'carol', 'Ärger im Büro, 100% sicher');
      await send(withCarol, 'carol', '今天天气不错');
      await send(withCarol, 'carol', 'a_b stays');
      await send(withCarol, 'carol', 'a-b and 10 items');

      expect(await texts('alice', { query: 'LIGHTHOUSE' })).toEqual(['lighthouse keepers', 'Meet me at the Lighthouse']);
      expect(await texts('alice', { query: 'ärger' })).toEqual(['Ärger im Büro, 100% sicher']);
      expect(await texts('alice', { query: 'büro' })).toEqual(['Ärger im Büro, 100% sicher']);
      expect(await texts('alice', { query: '天气' })).toEqual(['今天天气不错']);
      expect(await texts('alice', { query: '天' })).toEqual(['今天天气不错']);
      expect(await texts('alice', { query: '天天气' })).toEqual(['今天天气不错']);
      // Wildcards and quotes of query languages are matched as themselves.
      expect(await texts('alice', { query: '0%' })).toEqual(['Ärger im Büro, 100% sicher']);
      expect(await texts('alice', { query: 'a_b' })).toEqual(['a_b stays']);
      expect(await texts('alice', { query: '"light' })).toEqual([]);
      expect(await texts('alice', { query: 'light', conversationId: withCarol })).toEqual([]);
    });

    it('finds formatted texts by their words, not their marks, edited ones too', async () => {
      const { message } = await send(withBob, 'bob', '**Big** _news_: the ~~old~~ `deploy` plan');
      await send(withBob, 'bob', '```sh\nnpm run   build\n```');
      expect(await texts('alice', { query: 'big news' })).toEqual(['**Big** _news_: the ~~old~~ `deploy` plan']);
      expect(await texts('alice', { query: 'old deploy plan' })).toEqual(['**Big** _news_: the ~~old~~ `deploy` plan']);
      expect(await texts('alice', { query: 'npm run   build' })).toEqual(['```sh\nnpm run   build\n```']);
      expect(await texts('alice', { query: '**big' })).toEqual([]);
      await storage.messages.write.change({
        conversationId: withBob, actorId: 'bob', clientId: 'edit-marks', seq: message.seq, createdAt: 3700,
        change: { type: 'edit', text: text('*Small* news') },
      });
      expect(await texts('alice', { query: 'small news' })).toEqual(['*Small* news']);
      expect(await texts('alice', { query: 'big news' })).toEqual([]);
    });

    it("shows only the caller's conversations, a former one up to where they left", async () => {
      await send(withBob, 'bob', 'the secret plan for bob');
      await send(withCarol, 'carol', 'the secret plan for carol');
      expect(await texts('bob', { query: 'secret' })).toEqual(['the secret plan for bob']);
      expect(await texts('dave', { query: 'secret' })).toEqual([]);

      await storage.groups.write.createGroup({ id: 'g-search', ownerId: 'alice', name: 'G', avatar: null, description: '', memberIds: ['dave'], now: 2500 });
      await send('g-search', 'alice', 'secret before dave left');
      await storage.groups.write.leaveGroup({ conversationId: 'g-search', actorId: 'dave', now: 4000 });
      await send('g-search', 'alice', 'secret after dave left');
      expect(await texts('dave', { query: 'secret' })).toEqual(['secret before dave left']);
      expect(await texts('dave', { query: 'se' })).toEqual(['secret before dave left']);
    });

    it('forgets recalled messages and finds edited ones by their new text', async () => {
      const { message: gone } = await send(withBob, 'alice', 'delete this sentence');
      const { message: fixed } = await send(withBob, 'alice', 'teh typo');
      await storage.messages.write.change({
        conversationId: withBob, actorId: 'alice', clientId: 'recall-1', seq: gone.seq, createdAt: 3500,
        change: { type: 'recall', privileged: false, windowMs: 120_000 },
      });
      await storage.messages.write.change({
        conversationId: withBob, actorId: 'alice', clientId: 'edit-1', seq: fixed.seq, createdAt: 3600,
        change: { type: 'edit', text: text('the typo') },
      });
      expect(await texts('bob', { query: 'sentence' })).toEqual([]);
      expect(await texts('bob', { query: 'teh' })).toEqual([]);
      expect(await texts('bob', { query: 'the typo' })).toEqual(['the typo']);
    });

    it('finds every text of a burst sent at once, newest first, a resent one once', async () => {
      const burst = Array.from({ length: 30 }, (_, i) => ({
        conversationId: i % 2 ? withBob : withCarol,
        senderId: 'alice',
        clientId: `burst-${i}`,
        body: text(`burst line ${String(i).padStart(2, '0')}`),
        createdAt: 5000 + i,
      }));
      const stranger = { ...burst[0]!, conversationId: 's-nobody-here', clientId: 'burst-lost' };
      // Sent together, so that a storage that batches commits gets them as one batch.
      const results = await Promise.allSettled([
        ...burst.map((input) => storage.messages.write.append(input)),
        storage.messages.write.append(stranger),
        storage.messages.write.append(burst[3]!),
      ]);
      expect(results.slice(0, 30).every((result) => result.status === 'fulfilled')).toBe(true);
      expect(results[30]).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
      expect(results[31]).toMatchObject({ status: 'fulfilled', value: { duplicate: true } });

      const found = await storage.search.read.messages('alice', { query: 'burst line', limit: 50 });
      expect(found.messages.map((message) => message.clientId)).toEqual(
        burst.map((input) => input.clientId).reverse(),
      );
      expect(await texts('bob', { query: 'burst line 03' })).toEqual(['burst line 03']);
    });

    it('pages with a cursor and refuses a cursor it did not make', async () => {
      for (let i = 0; i < 5; i++) await send(withBob, 'bob', `report ${i}`);
      const first = await storage.search.read.messages('alice', { query: 'report', limit: 2 });
      expect(first.messages.map((message) => message.seq)).toEqual([5, 4]);
      const second = await storage.search.read.messages('alice', { query: 'report', limit: 2, cursor: first.cursor! });
      const third = await storage.search.read.messages('alice', { query: 'report', limit: 2, cursor: second.cursor! });
      expect(second.messages.map((message) => message.seq)).toEqual([3, 2]);
      expect(third).toMatchObject({ cursor: null });
      expect(third.messages.map((message) => message.seq)).toEqual([1]);
      await expect(
        storage.search.read.messages('alice', { query: 'report', limit: 2, cursor: 'not-a-cursor' }),
      ).rejects.toMatchObject({ code: 'invalid_payload' });
    });
  });
}
