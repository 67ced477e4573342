/**
 * "Ack after a durable commit" on PostgreSQL: a commit returns only once its WAL is
 * flushed while `synchronous_commit` is not off and `fsync` is on. A deferred trigger
 * records both settings as each appended message's transaction commits, in the storage's
 * own session, so a default of the server, of the connection or a SET LOCAL in the append
 * path would all show.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../src/server/storage/postgres/postgres-storage.js';
import { createTestSchema, databaseUrl, probeServices } from '../support/node/services.js';

const postgres = await probeServices(['postgres']);

/** The settings under which a commit waits for the local WAL flush. */
const flushedLocally = ['on', 'local', 'remote_write', 'remote_apply'];

describe.skipIf(!postgres.available)('acks on PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('come from commits that waited for the WAL flush', async () => {
    const { schema, drop } = await createTestSchema();
    cleanups.push(drop);
    const storage = new PostgresStorage({ connectionString: databaseUrl, schema });
    cleanups.push(() => storage.close());
    await storage.migrate();

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    await admin.query(`
      CREATE TABLE ${schema}.commit_settings (client_id text, synchronous_commit text, fsync text);
      CREATE FUNCTION ${schema}.record_commit_settings() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ${schema}.commit_settings
          VALUES (NEW.client_id, current_setting('synchronous_commit'), current_setting('fsync'));
        RETURN NULL;
      END $$;
      -- Deferred: it runs as the transaction commits, after anything the append path set.
      CREATE CONSTRAINT TRIGGER record_commit_settings AFTER INSERT ON ${schema}.messages
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${schema}.record_commit_settings();
    `);

    for (const id of ['alice', 'bob']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1000);
    const { id: conversationId } = await storage.conversations.write.ensureSingle({
      id: 'c-durable',
      memberIds: ['alice', 'bob'],
      createdBy: 'alice',
      now: 1000,
    });
    const append = (clientId: string) =>
      storage.messages.write.append({
        conversationId,
        senderId: 'alice',
        clientId,
        body: { type: 'text', text: clientId },
        createdAt: 2000,
      });
    // One at a time (a transaction each), then together (batched into shared transactions).
    for (let i = 0; i < 5; i++) await append(`alone-${i}`);
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(`batched-${i}`)));

    const { rows } = await admin.query<{ client_id: string; synchronous_commit: string; fsync: string }>(
      `SELECT * FROM ${schema}.commit_settings`,
    );
    expect(rows).toHaveLength(25);
    const lax = rows.filter((row) => !flushedLocally.includes(row.synchronous_commit) || row.fsync !== 'on');
    expect(lax, 'messages committed without waiting for the WAL flush').toEqual([]);
  });
});
