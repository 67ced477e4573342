import type { Database } from 'better-sqlite3';
import { messageColumns, type MessageRow, type ShownUserRow, type UserRow } from '../rows.js';
import { prepareGroupStatements } from './group-statements.js';
import { prepareAccountStatements } from './sqlite-accounts.js';
import { prepareSearchStatements } from './search-statements.js';
import { preparePushStatements } from './sqlite-push.js';
import { prepareSupportStatements } from './support-statements.js';
import { visibleSeq } from '../conversations/view-sql.js';

export function prepareStatements(db: Database) {
  return {
    ...prepareCoreStatements(db),
    ...prepareAccountStatements(db),
    ...prepareGroupStatements(db),
    ...preparePushStatements(db),
    ...prepareSearchStatements(db),
    ...prepareSupportStatements(db),
  };
}

function prepareCoreStatements(db: Database) {
  return {
    nextVersion: db.prepare<[], { value: number }>(
      `UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`,
    ),

    upsertUser: db.prepare<[UserRow & { now: number }], unknown>(`
      INSERT INTO users (id, name, avatar, created_at, updated_at)
      VALUES (@id, @name, @avatar, @now, @now)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
        updated_at = excluded.updated_at
      WHERE name IS NOT excluded.name OR avatar IS NOT excluded.avatar`),
    usersByIds: db.prepare<[string], ShownUserRow>(
      `SELECT id, name, avatar, bot, deleted_at FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    // Deleted users cannot be found, so no new chat starts with them; anonymous visitors
    // exist for support only and are never listed.
    searchUsers: db.prepare<[{ query: string; excludeId: string; limit: number }], ShownUserRow>(`
      SELECT id, name, avatar, bot, deleted_at FROM users
      WHERE id <> @excludeId AND deleted_at IS NULL
        AND id NOT IN (SELECT id FROM support_visitors)
        AND (instr(im_fold(name), im_fold(@query)) > 0 OR instr(im_fold(id), im_fold(@query)) > 0)
      ORDER BY im_fold(name), id
      LIMIT @limit`),

    insertMember: db.prepare<[string, string, number], unknown>(
      `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)`,
    ),
    takeEventSeq: db.prepare<
      [{ conversationId: string; createdAt: number; version: number }],
      { last_seq: number }
    >(`
      UPDATE conversations
      SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
      WHERE id = @conversationId
      RETURNING last_seq`),
    insertMessage: db.prepare<[MessageRow & { type: string }], unknown>(`
      INSERT INTO messages (${messageColumns}, type)
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at,
        @reply_to, @edited_at, @type)`),
    readPosition: db.prepare<
      [string, string],
      { read_seq: number; delivered_seq: number; last_seq: number; marked_unread: number }
    >(`
      SELECT m.read_seq, m.delivered_seq, ${visibleSeq} AS last_seq, m.marked_unread
      FROM conversation_members m
      JOIN conversations c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.user_id = ?`),
    setReadSeq: db.prepare<
      [{ conversationId: string; userId: string; seq: number; version: number }],
      unknown
    >(`
      UPDATE conversation_members
      SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq), marked_unread = 0,
        version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
