import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inList, listRows, sql } from '../../../src/server/storage/sql/sql.js';
import { SqliteSqlDatabase, transactionNow } from '../../../src/server/storage/sql/sqlite.js';
import { SqliteConnection } from '../../../src/server/storage/sqlite/connection.js';
import { applyMigrations } from '../../../src/server/storage/sqlite/migrations.js';

describe('statements for both dialects', () => {
  it('is one text where the dialects agree, and one each where a piece differs', () => {
    expect(sql`SELECT id FROM users WHERE id = ${'$1'}`).toBe('SELECT id FROM users WHERE id = $1');
    expect(sql`SELECT id FROM users WHERE id ${inList(1)}`).toEqual({
      sqlite: 'SELECT id FROM users WHERE id IN (SELECT value FROM json_each($1))',
      postgres: 'SELECT id FROM users WHERE id = ANY($1::text[])',
    });
  });
});

describe('the query interface on SQLite', () => {
  let raw: Database.Database;
  let connection: SqliteConnection;
  let db: SqliteSqlDatabase;
  const names = () => raw.prepare('SELECT id FROM users ORDER BY id').pluck().all();
  const addUser = 'INSERT INTO users (id, name, created_at, updated_at) VALUES ($1, $1, $2, $2)';

  beforeEach(() => {
    raw = new Database(':memory:');
    applyMigrations(raw);
    connection = new SqliteConnection(raw);
    connection.migrated();
    db = new SqliteSqlDatabase(connection);
  });
  afterEach(() => raw.close());

  it('binds numbered parameters, repeated ones and lists', async () => {
    await db.run(addUser, ['ann', 5]);
    await db.run(addUser, ['bo', 6]);
    const rows = await db.rows<{ id: string }>(sql`SELECT id FROM ${listRows(1, 'wanted', 'id')} WHERE id ${inList(2)}`, [
      ['ann', 'cy'],
      ['ann', 'bo'],
    ]);
    expect(rows).toEqual([{ id: 'ann' }]);
    expect(await db.row('SELECT name, created_at, updated_at FROM users WHERE id = $1', ['bo'])).toEqual({
      name: 'bo',
      created_at: 6,
      updated_at: 6,
    });
  });

  it('stamps one new change version on the rows a transaction touched, when it commits', async () => {
    await db.run(addUser, ['ann', 1]);
    raw.exec(`INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
      VALUES ('c1', 'single', 'ann', 1, 0, 1, 0, 1), ('c2', 'single', 'ann', 1, 0, 1, 0, 1)`);
    raw.exec(`INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ('c2', 'ann', 1)`);
    const before = raw.prepare(`SELECT value FROM meta WHERE key = 'version'`).pluck().get() as number;
    await db.transaction(async (tx) => {
      tx.touchConversation('c1');
      tx.touchMember('c2', 'ann');
      tx.touchMember('c2', 'ann');
    });
    const stamped = raw.prepare(`SELECT value FROM meta WHERE key = 'version'`).pluck().get() as number;
    expect(stamped).toBe(before + 1);
    expect(raw.prepare(`SELECT id, version FROM conversations ORDER BY id`).all()).toEqual([
      { id: 'c1', version: stamped },
      { id: 'c2', version: 0 },
    ]);
    expect(raw.prepare(`SELECT version FROM conversation_members`).pluck().get()).toBe(stamped);
  });

  it('rolls back all of a transaction that throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run(addUser, ['ann', 1]);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(names()).toEqual([]);
  });

  it('fails a transaction that waits for anything but its statements, writing nothing', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.run(addUser, ['ann', 1]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.run(addUser, ['bo', 1]);
      }),
    ).rejects.toThrow(/waited for something other than its own statements/);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(names()).toEqual([]);
    expect(raw.inTransaction).toBe(false);
  });

  it('keeps other callers’ statements out of an open transaction: they run after it, and stay when it rolls back', async () => {
    // As the SQLite appends run: on the connection's own statements, once it is free.
    const addDirectly = (id: string) =>
      connection.whenFree(() => transactionNow(connection, (now) => now.run(addUser, [id, 1])));
    const failing = db.transaction(async (tx) => {
      await tx.run(addUser, ['ann', 1]);
      for (let turn = 0; turn < 5; turn++) await Promise.resolve();
      throw new Error('refused');
    });
    const outside = db.run(addUser, ['bo', 1]);
    const another = db.transaction((tx) => tx.run(addUser, ['cy', 1]));
    const viaConnection = addDirectly('dee');
    await expect(failing).rejects.toThrow('refused');
    await Promise.all([outside, another, viaConnection]);
    expect(names()).toEqual(['bo', 'cy', 'dee']);
    expect(() => transactionNow(connection, () => 1)).not.toThrow();
  });

  it('refuses a statement on the connection itself while a transaction is open', async () => {
    let inside: unknown;
    await db.transaction(async (tx) => {
      await tx.run(addUser, ['ann', 1]);
      try {
        transactionNow(connection, () => 1);
      } catch (error) {
        inside = error;
      }
    });
    expect(String(inside)).toMatch(/inside another caller’s asynchronous transaction/);
  });
});
