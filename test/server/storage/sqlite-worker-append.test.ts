import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteWorkerStorage } from '../../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import { createTempDir } from '../../support/node/temp-dir.js';

it('answers an append on the worker with the message as stored, a reply and a retry included', async () => {
  const dir = await createTempDir();
  const storage = openSqliteWorkerStorage({ filename: join(dir.path, 'im-chat.sqlite') });
  try {
    await storage.migrate();
    for (const id of ['ann', 'ben']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1);
    const { id } = await storage.conversations.write.ensureSingle({ id: 's-ann-ben', memberIds: ['ann', 'ben'], createdBy: 'ann', now: 1 });
    const first = await storage.messages.write.append({
      conversationId: id, senderId: 'ann', clientId: 'c1', body: { type: 'text', text: 'Lunch? 🍜', mentions: ['ben'] }, createdAt: 10,
    });
    const [reply, retry] = await Promise.all([
      storage.messages.write.append({
        conversationId: id, senderId: 'ben', clientId: 'c2', body: { type: 'text', text: 'Yes' }, createdAt: 20,
        replyTo: { seq: 1, senderId: 'ann', type: 'text', excerpt: 'Lunch? 🍜' },
      }),
      storage.messages.write.append({ conversationId: id, senderId: 'ann', clientId: 'c1', body: { type: 'text', text: 'other' }, createdAt: 30 }),
    ]);
    const stored = (await storage.messages.read.history(id, { limit: 10 })).messages;
    expect(stored).toEqual([first.message, reply.message]);
    expect(reply).toMatchObject({ duplicate: false, message: { seq: 2, replyTo: { seq: 1, excerpt: 'Lunch? 🍜' } } });
    expect(retry).toEqual({ message: first.message, duplicate: true });
    await expect(
      storage.messages.write.append({ conversationId: id, senderId: 'eve', clientId: 'c3', body: { type: 'text', text: 'hi' }, createdAt: 40 }),
    ).rejects.toMatchObject({ code: 'not_found' });
  } finally {
    await storage.close();
    await dir.remove();
  }
});

it('settles each append of one turn on its own when they cross to the worker together', async () => {
  const dir = await createTempDir();
  const storage = openSqliteWorkerStorage({ filename: join(dir.path, 'im-chat.sqlite') });
  try {
    await storage.migrate();
    for (const id of ['ann', 'ben']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1);
    const { id } = await storage.conversations.write.ensureSingle({ id: 's-ann-ben', memberIds: ['ann', 'ben'], createdBy: 'ann', now: 1 });
    const send = (senderId: string, clientId: string, text: string) =>
      storage.messages.write.append({ conversationId: id, senderId, clientId, body: { type: 'text', text }, createdAt: 10 });
    // One turn: new messages around a refusal (not a member) and a retry of the first.
    const outcomes = await Promise.allSettled([
      send('ann', 'a1', 'one'),
      send('eve', 'e1', 'not hers to send'),
      send('ben', 'b1', 'two'),
      send('ann', 'a1', 'one, again'),
      send('ann', 'a2', 'three'),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    const [first, refused, second, retry, third] = outcomes;
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const value = (outcome: PromiseSettledResult<unknown>) => (outcome as PromiseFulfilledResult<{ message: { seq: number; body: unknown }; duplicate: boolean }>).value;
    expect([first, second, third].map((outcome) => [value(outcome).message.seq, value(outcome).duplicate])).toEqual([
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(value(retry)).toEqual({ message: value(first).message, duplicate: true });
    const stored = (await storage.messages.read.history(id, { limit: 10 })).messages;
    expect(stored.map((message) => message.body)).toEqual([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
      { type: 'text', text: 'three' },
    ]);
  } finally {
    await storage.close();
    await dir.remove();
  }
});
