/**
 * A batch of appends on PostgreSQL costs one round trip to the database, however many
 * messages, conversations, retries and refusals it holds: counted as the queries the
 * storage's connections send (each waits for the database's answer), not as time.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppendMessageInput } from '../../../src/server/messages/append-decision.js';
import { PostgresStorage } from '../../../src/server/storage/postgres/postgres-storage.js';
import { createTestSchema, databaseUrl, probeServices } from '../../support/node/services.js';

const postgres = await probeServices(['postgres']);

/** Runs `work` and counts the queries sent meanwhile on any connection. */
async function countQueries<T>(work: () => Promise<T>): Promise<{ queries: number; result: T }> {
  const original = pg.Client.prototype.query;
  let queries = 0;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (original as (...args: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    const result = await work();
    return { queries, result };
  } finally {
    pg.Client.prototype.query = original;
  }
}

const text = (value: string, mentions?: string[]) => ({ type: 'text' as const, text: value, ...(mentions ? { mentions } : {}) });

describe.skipIf(!postgres.available)('appends on PostgreSQL', () => {
  let storage: PostgresStorage;
  let drop: () => Promise<void>;
  const conversations = ['c-alice-bob', 'c-alice-carol', 'c-bob-carol'];

  beforeAll(async () => {
    const schema = await createTestSchema();
    drop = schema.drop;
    storage = new PostgresStorage({ connectionString: databaseUrl, schema: schema.schema });
    await storage.migrate();
    for (const id of ['alice', 'bob', 'carol', 'dave']) {
      await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1000);
    }
    for (const id of conversations) {
      const [, a, b] = id.split('-') as [string, string, string];
      await storage.conversations.write.ensureSingle({ id, memberIds: [a, b], createdBy: a, now: 2000 });
    }
  });
  afterAll(async () => {
    await storage?.close();
    await drop?.();
  });

  const append = (input: Partial<AppendMessageInput> & Pick<AppendMessageInput, 'conversationId' | 'senderId' | 'clientId'>) =>
    storage.messages.write.append({ body: text(input.clientId), createdAt: 5000, ...input });

  it('stores a batch over several conversations in one round trip', async () => {
    const stored = await append({ conversationId: 'c-alice-bob', senderId: 'alice', clientId: 'before' });
    const { queries, result } = await countQueries(() =>
      Promise.allSettled([
        append({ conversationId: 'c-alice-bob', senderId: 'alice', clientId: 'a1', body: text('hi @bob', ['bob']) }),
        append({ conversationId: 'c-alice-bob', senderId: 'bob', clientId: 'b1' }),
        append({ conversationId: 'c-alice-carol', senderId: 'carol', clientId: 'c1' }),
        append({ conversationId: 'c-alice-bob', senderId: 'alice', clientId: 'before' }),
        append({ conversationId: 'c-alice-carol', senderId: 'alice', clientId: 'a2' }),
        append({ conversationId: 'c-alice-bob', senderId: 'bob', clientId: 'b1' }),
        append({ conversationId: 'c-bob-carol', senderId: 'dave', clientId: 'd1' }),
        append({ conversationId: 'c-alice-bob', senderId: 'alice', clientId: 'a3' }),
      ]),
    );
    expect(queries).toBe(1);
    const values = result.map((settled) => (settled.status === 'fulfilled' ? settled.value : settled.reason.code));
    const [a1, b1, c1, retried, a2, b1again, refused, a3] = values;
    expect([a1, b1, a3].map((value) => value.message.seq)).toEqual([2, 3, 4]);
    expect([c1, a2].map((value) => value.message.seq)).toEqual([1, 2]);
    expect(retried).toEqual({ message: (await stored).message, duplicate: true });
    expect(b1again).toEqual({ message: b1.message, duplicate: true });
    expect(refused).toBe('not_found');
    expect(await storage.conversations.read.view('c-alice-bob', 'bob')).toMatchObject({ readSeq: 3, unreadCount: 1 });
    expect(await storage.conversations.read.view('c-alice-bob', 'alice')).toMatchObject({ readSeq: 4, unreadCount: 0 });
  });

  it('answers a batch of retries alone in one round trip', async () => {
    const { queries, result } = await countQueries(() =>
      Promise.all(['a1', 'a2', 'a3'].map((clientId) => append({ conversationId: 'c-alice-bob', senderId: 'alice', clientId }))),
    );
    expect(queries).toBe(1);
    expect(result.every((value) => value.duplicate)).toBe(true);
  });
});
