/**
 * SQLite's search index follows the messages in transactions of its own
 * (src/server/storage/search/sqlite-index.ts): a search finds every message the moment it
 * is stored, exactly once, whether the index has reached it or not, as edited or recalled
 * since, and after a crash that left it unindexed.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../src/server/storage/sqlite/migrations.js';
import { SqliteStorage } from '../../../src/server/storage/sqlite/sqlite-storage.js';
import { createTempDir, type TempDir } from '../../support/node/temp-dir.js';

const chat = 's_alice_bob';
let dir: TempDir;
let filename: string;
let clientIds = 0;

beforeEach(async () => {
  dir = await createTempDir();
  filename = join(dir.path, 'im-chat.sqlite');
});
afterEach(() => dir.remove());

async function openWithChat(file = filename): Promise<SqliteStorage> {
  const storage = new SqliteStorage({ filename: file });
  await storage.migrate();
  for (const id of ['alice', 'bob']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1);
  await storage.conversations.write.ensureSingle({ id: chat, memberIds: ['alice', 'bob'], createdBy: 'alice', now: 1 });
  return storage;
}

async function send(storage: SqliteStorage, text: string) {
  const createdAt = Date.now();
  return (await storage.messages.write.append({
    conversationId: chat, senderId: 'alice', clientId: `c-${++clientIds}`, body: { type: 'text', text }, createdAt,
  })).message;
}

/** Every text found for `query`, newest first, a page of `limit` at a time. */
async function found(storage: SqliteStorage, query: string, limit = 20): Promise<string[]> {
  const texts: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await storage.search.read.messages('bob', { query, limit, cursor });
    texts.push(...result.messages.map((message) => (message.body.type === 'text' ? message.body.text : message.body.type)));
    if (result.cursor === null) return texts;
    cursor = result.cursor;
  }
  throw new Error('the pages did not end');
}

/** What the file says: the arrival the index has reached, and the newest message's. */
function indexState(file: string): { mark: number; newest: number } {
  const db = new Database(file, { readonly: true });
  try {
    const mark = db.prepare(`SELECT value FROM meta WHERE key = 'search_indexed'`).pluck().get() as number;
    const newest = (db.prepare('SELECT max(arrival) FROM messages').pluck().get() as number | null) ?? 0;
    return { mark, newest };
  } finally {
    db.close();
  }
}

describe('SQLite search index, following the messages', () => {
  it('finds each message at once and exactly once, before, while and after the index reaches it', async () => {
    const storage = await openWithChat();
    try {
      await send(storage, 'lighthouse one');
      await send(storage, 'lighthouse two');
      expect(indexState(filename).mark).toBeLessThan(indexState(filename).newest);
      expect(await found(storage, 'LIGHTHOUSE')).toEqual(['lighthouse two', 'lighthouse one']);

      await storage.catchUpSearch();
      expect(indexState(filename)).toEqual({ mark: indexState(filename).newest, newest: indexState(filename).newest });
      await send(storage, 'lighthouse three');
      await send(storage, 'lighthouse **four**');
      // Two not indexed yet, two indexed: paged one by one across the mark.
      const all = ['lighthouse **four**', 'lighthouse three', 'lighthouse two', 'lighthouse one'];
      expect(await found(storage, 'lighthouse', 1)).toEqual(all);
      expect(await found(storage, 'lighthouse four')).toEqual(['lighthouse **four**']);

      await storage.catchUpSearch();
      expect(await found(storage, 'lighthouse', 3)).toEqual(all);
      expect(await found(storage, 'lighthouse four')).toEqual(['lighthouse **four**']);
    } finally {
      await storage.close();
    }
  });

  it('finds an edited or recalled message as it is now, whether the index had reached it or not', async () => {
    const storage = await openWithChat();
    const edit = (seq: number, text: string) =>
      storage.messages.write.change({
        conversationId: chat, actorId: 'alice', clientId: `c-${++clientIds}`, seq, createdAt: Date.now(),
        change: { type: 'edit', text: { type: 'text', text } },
      });
    const recall = (seq: number) =>
      storage.messages.write.change({
        conversationId: chat, actorId: 'alice', clientId: `c-${++clientIds}`, seq, createdAt: Date.now(),
        change: { type: 'recall', privileged: false, windowMs: 60_000 },
      });
    try {
      const early = await send(storage, 'orange harbour');
      await storage.catchUpSearch();
      const late = await send(storage, 'orange sky');
      const gone = await send(storage, 'orange sea');
      // Changed before the index reached them, and one after.
      await edit(late.seq, 'purple sky');
      await recall(gone.seq);
      await edit(early.seq, 'purple harbour');
      for (const reached of [false, true]) {
        if (reached) await storage.catchUpSearch();
        expect(await found(storage, 'orange')).toEqual([]);
        expect(await found(storage, 'purple')).toEqual(['purple sky', 'purple harbour']);
        expect(await found(storage, 'sea')).toEqual([]);
      }
      // And changed again once indexed.
      await edit(late.seq, 'green sky');
      expect(await found(storage, 'purple')).toEqual(['purple harbour']);
      expect(await found(storage, 'green')).toEqual(['green sky']);
    } finally {
      await storage.close();
    }
  });

  it('indexes on the next start what a crash left unindexed, and closing leaves nothing behind', async () => {
    const storage = await openWithChat();
    const crashed = join(dir.path, 'crashed.sqlite');
    try {
      await send(storage, 'kept through a crash');
      await send(storage, 'kept as well');
      // The files as a crash would leave them: the messages committed, the index not yet.
      copyFileSync(filename, crashed);
      if (existsSync(`${filename}-wal`)) copyFileSync(`${filename}-wal`, `${crashed}-wal`);
    } finally {
      await storage.close();
    }
    expect(indexState(filename).mark).toBe(indexState(filename).newest);
    const before = indexState(crashed);
    expect(before.mark).toBeLessThan(before.newest);

    const restarted = new SqliteStorage({ filename: crashed });
    try {
      await restarted.migrate();
      expect(await found(restarted, 'kept')).toEqual(['kept as well', 'kept through a crash']);
    } finally {
      await restarted.close();
    }
    expect(indexState(crashed)).toEqual({ mark: before.newest, newest: before.newest });
  });

  it('takes every message of a database from before it as indexed already', async () => {
    const old = new Database(filename);
    try {
      applyMigrations(old, 13);
      old.exec(`
        INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES ('alice', 'Alice', NULL, 1, 1), ('bob', 'Bob', NULL, 1, 1);
        INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
          VALUES ('${chat}', 'single', 'alice', 10, 2, 30, 3);
        INSERT INTO conversation_members (conversation_id, user_id, read_seq, version) VALUES
          ('${chat}', 'alice', 2, 1), ('${chat}', 'bob', 2, 2);
        INSERT INTO messages (arrival, conversation_id, seq, id, sender_id, client_id, body, created_at) VALUES
          (1, '${chat}', 1, 'm1', 'alice', 'old-1', '{"type":"text","text":"compass north"}', 20),
          (2, '${chat}', 2, 'm2', 'alice', 'old-2', '{"type":"text","text":"compass south"}', 30);
        INSERT INTO message_search (rowid, text) VALUES (1, 'compass north'), (2, 'compass south');
      `);
    } finally {
      old.close();
    }
    const storage = new SqliteStorage({ filename });
    try {
      await storage.migrate();
      expect(indexState(filename)).toEqual({ mark: 2, newest: 2 });
      await send(storage, 'compass east');
      expect(await found(storage, 'compass')).toEqual(['compass east', 'compass south', 'compass north']);
      await storage.catchUpSearch();
      expect(await found(storage, 'compass')).toEqual(['compass east', 'compass south', 'compass north']);
    } finally {
      await storage.close();
    }
  });
});
