import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../src/server/storage/sqlite/migrations.js';
import { SqliteStorage } from '../../../src/server/storage/sqlite/sqlite-storage.js';
import { createTempDir } from '../../support/node/temp-dir.js';

/**
 * A database as the server before messages were numbered in arrival order left it: the
 * search index and its side table hold the texts not recalled, rows in arrival order.
 */
function buildVersion7(filename: string): void {
  const old = new Database(filename);
  try {
    applyMigrations(old, 7);
    old.exec(`
      INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES
        ('alice', 'Alice', NULL, 1, 1), ('bob', 'Bob', NULL, 1, 1), ('carol', 'Carol', NULL, 1, 1);
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
        VALUES ('s_ab', 'single', 'alice', 10, 4, 50, 4), ('s_ac', 'single', 'alice', 10, 1, 40, 3);
      INSERT INTO conversation_members (conversation_id, user_id, read_seq, delivered_seq) VALUES
        ('s_ab', 'alice', 4, 4), ('s_ab', 'bob', 1, 1), ('s_ac', 'alice', 0, 0), ('s_ac', 'carol', 1, 1);
      INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, body, created_at, type, edited_at) VALUES
        ('s_ab', 1, 'm1', 'alice', 'client-1', '{"type":"text","text":"Harbour at dawn"}', 20, 'text', NULL),
        ('s_ab', 2, 'm2', 'bob', 'client-2', '{"type":"recalled"}', 30, 'recalled', NULL),
        ('s_ab', 3, 'm3', 'bob', 'client-3', '{"type":"recall","targetSeq":2}', 35, 'recall', NULL),
        ('s_ac', 1, 'm4', 'carol', 'client-4', '{"type":"text","text":"harbour master"}', 40, 'text', NULL),
        ('s_ab', 4, 'm5', 'alice', 'client-5', '{"type":"text","text":"the harbour lights"}', 50, 'text', 55);
      INSERT INTO message_search (rowid, text, conversation_id, seq) VALUES
        (1, 'Harbour at dawn', 's_ab', 1), (3, 'harbour master', 's_ac', 1), (4, 'the harbour lights', 's_ab', 4);
      INSERT INTO message_search_rows (row, conversation_id, seq) VALUES (1, 's_ab', 1), (3, 's_ac', 1), (4, 's_ab', 4);
    `);
  } finally {
    old.close();
  }
}

describe('SqliteStorage migration 8: messages in arrival order, the search index keyed by it', () => {
  it('keeps every message and search result of an existing database, and its timelines go on', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    buildVersion7(filename);
    const storage = new SqliteStorage({ filename });
    try {
      await storage.migrate();
      const history = await storage.messages.read.history('s_ab', { limit: 10 });
      expect(history.messages.map(({ id, seq, body }) => ({ id, seq, body }))).toEqual([
        { id: 'm1', seq: 1, body: { type: 'text', text: 'Harbour at dawn' } },
        { id: 'm2', seq: 2, body: { type: 'recalled' } },
        { id: 'm3', seq: 3, body: { type: 'recall', targetSeq: 2 } },
        { id: 'm5', seq: 4, body: { type: 'text', text: 'the harbour lights' } },
      ]);
      expect(history.messages[3]?.editedAt).toBe(55);
      expect((await storage.conversations.read.view('s_ab', 'bob'))?.unreadCount).toBe(1);

      const ids = async (query: string, userId = 'alice') =>
        (await storage.search.read.messages(userId, { query, limit: 10 })).messages.map((message) => message.id);
      expect(await ids('HARBOUR')).toEqual(['m5', 'm4', 'm1']);
      expect(await ids('ha')).toEqual(['m5', 'm4', 'm1']);
      expect(await ids('harbour', 'bob')).toEqual(['m5', 'm1']);

      // A retry of an old message is still answered with the original.
      const retried = await storage.messages.write.append({
        conversationId: 's_ab', senderId: 'alice', clientId: 'client-1', body: { type: 'text', text: 'Harbour at dawn' }, createdAt: 60,
      });
      expect(retried).toMatchObject({ duplicate: true, message: { id: 'm1', seq: 1 } });

      const { message } = await storage.messages.write.append({
        conversationId: 's_ab', senderId: 'bob', clientId: 'client-6', body: { type: 'text', text: 'harbour, at six' }, createdAt: 70,
      });
      expect(message.seq).toBe(5);
      expect(await ids('harbour', 'bob')).toEqual([message.id, 'm5', 'm1']);

      // Edited and recalled after the upgrade: the index follows, an edit keeps its place.
      await storage.messages.write.change({
        conversationId: 's_ab', actorId: 'alice', clientId: 'client-7', seq: 1, createdAt: 80,
        change: { type: 'edit', text: { type: 'text', text: 'Harbour at noon' } },
      });
      await storage.messages.write.change({
        conversationId: 's_ab', actorId: 'alice', clientId: 'client-8', seq: 4, createdAt: 90,
        change: { type: 'recall', privileged: false, windowMs: 60_000 },
      });
      expect(await ids('harbour', 'bob')).toEqual([message.id, 'm1']);
      expect(await ids('noon', 'bob')).toEqual(['m1']);
      expect(await ids('dawn', 'bob')).toEqual([]);
      expect((await storage.messages.read.history('s_ab', { afterSeq: 4, limit: 10 })).messages.map((m) => m.seq)).toEqual([5, 6, 7]);

      const check = new Database(filename, { readonly: true });
      try {
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(check.pragma('foreign_key_check')).toEqual([]);
        expect(check.prepare(`SELECT name FROM sqlite_master WHERE name = 'message_search_rows'`).all()).toEqual([]);
      } finally {
        check.close();
      }
    } finally {
      await storage.close();
      await dir.remove();
    }
  });
});
