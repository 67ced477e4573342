/** The messages area's statements on SQLite (see sqlite.ts). */
import type { Database } from 'better-sqlite3';
import { messageColumns, type MessageRow } from '../rows.js';

/** One row whatever exists: each part is null when missing. */
interface AppendSnapshotRow {
  stored_id: string | null;
  conversation_found: number;
  dismissed: number;
  sender_state: string | null;
  file_found: number;
}

export function prepareMessageStatements(db: Database) {
  return {
    byClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND client_id = ?`,
    ),
    at: db.prepare<[string, number], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE conversation_id = ? AND seq = ?`,
    ),
    after: db.prepare<[string, number, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq ASC LIMIT ?`),
    before: db.prepare<[string, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),
    // What an append's decision sees, in one statement: it costs what the dedupe lookup alone did.
    appendSnapshot: db.prepare<
      [{ conversationId: string; senderId: string; clientId: string; fileId: string | null }],
      AppendSnapshotRow
    >(`
      SELECT s.id AS stored_id, c.id IS NOT NULL AS conversation_found,
        c.dismissed_at IS NOT NULL AS dismissed, m.state AS sender_state,
        @fileId IS NOT NULL AND EXISTS (
          SELECT 1 FROM files WHERE id = @fileId AND conversation_id = @conversationId) AS file_found
      FROM (SELECT 1)
      LEFT JOIN messages s ON s.sender_id = @senderId AND s.client_id = @clientId
      LEFT JOIN conversations c ON c.id = @conversationId
      LEFT JOIN conversation_members m ON m.conversation_id = @conversationId AND m.user_id = @senderId`),
    actor: db.prepare<[string, string], { dismissed: number; state: string | null }>(`
      SELECT c.dismissed_at IS NOT NULL AS dismissed, m.state
      FROM conversations c LEFT JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = ?
      WHERE c.id = ?`),
    takeSeq: db
      .prepare<[{ conversationId: string; createdAt: number; version: number }], number>(`
        UPDATE conversations
        SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
        WHERE id = @conversationId
        RETURNING last_seq`)
      .pluck(),
    insert: db.prepare<[MessageRow & { type: string }], unknown>(`
      INSERT INTO messages (${messageColumns}, type)
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at,
        @reply_to, @edited_at, @type)`),
    advanceOwnRead: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members
      SET read_seq = max(read_seq, @seq), delivered_seq = max(delivered_seq, @seq)
      WHERE conversation_id = @conversationId AND user_id = @userId AND state = 'active'`),
    markFileSent: db.prepare<[{ fileId: string; conversationId: string; now: number }], unknown>(`
      UPDATE files SET sent_at = coalesce(sent_at, @now)
      WHERE id = @fileId AND conversation_id = @conversationId`),
    rewrite: db.prepare<
      [{ conversationId: string; seq: number; body: string; type: string; editedAt: number | null }],
      unknown
    >(`
      UPDATE messages SET body = @body, type = @type, edited_at = coalesce(@editedAt, edited_at)
      WHERE conversation_id = @conversationId AND seq = @seq`),
    // Bounded by the mentions limit, whatever the size of the group.
    markMentioned: db.prepare<[{ conversationId: string; userIds: string; seq: number }], unknown>(`
      UPDATE conversation_members SET mention_seq = max(mention_seq, @seq)
      WHERE conversation_id = @conversationId AND state = 'active'
        AND user_id IN (SELECT value FROM json_each(@userIds))`),
    markMentionedAll: db.prepare<[{ conversationId: string; seq: number }], unknown>(`
      UPDATE conversations SET mention_all_seq = max(mention_all_seq, @seq)
      WHERE id = @conversationId`),
  };
}

export type MessageStatements = ReturnType<typeof prepareMessageStatements>;
