import type { Database } from 'better-sqlite3';
import {
  messageColumns,
  type ConversationRow,
  type ConversationViewRow,
  type MessageRow,
} from '../rows.js';
import { prepareUserStatements } from '../accounts/sqlite.js';
import { prepareGroupStatements } from './group-statements.js';
import { prepareMessageStateStatements } from './message-state-statements.js';
import { prepareSearchIndexStatements } from '../search/sqlite-index.js';
import { changeVersion, conversationView, visibleSeq } from '../conversation-view.js';

const view = conversationView('max');
const changeVersionOf = changeVersion('max');

export function prepareStatements(db: Database) {
  return {
    ...prepareCoreStatements(db),
    ...prepareUserStatements(db),
    ...prepareGroupStatements(db),
    ...prepareMessageStateStatements(db),
    ...prepareSearchIndexStatements(db),
  };
}

function prepareCoreStatements(db: Database) {
  return {
    epoch: db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'epoch'`),
    nextVersion: db.prepare<[], { value: number }>(
      `UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`,
    ),

    insertConversation: db.prepare<
      [{ id: string; createdBy: string; now: number; version: number }],
      unknown
    >(`
      INSERT INTO conversations
        (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
      VALUES (@id, 'single', @createdBy, @now, 0, @now, @version, 2)`),
    insertMember: db.prepare<[string, string, number], unknown>(
      `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)`,
    ),
    conversation: db.prepare<[string], ConversationRow>(
      `SELECT id, type, created_by, created_at, last_seq, updated_at
       FROM conversations WHERE id = ?`,
    ),
    memberIds: db
      .prepare<[string], string>(
        `SELECT user_id FROM conversation_members
         WHERE conversation_id = ? AND state = 'active' ORDER BY user_id`,
      )
      .pluck(),
    conversationIdsOfUser: db
      .prepare<[string], string>(
        `SELECT conversation_id FROM conversation_members WHERE user_id = ? AND state = 'active'`,
      )
      .pluck(),
    conversationView: db.prepare<[string, string], ConversationViewRow>(
      `${view} WHERE m.conversation_id = ? AND m.user_id = ?`,
    ),
    // Empty conversations are listed to their creator only: the peer learns of a chat
    // when its first message arrives.
    changedConversations: db.prepare<
      [{ userId: string; since: number; afterId: string | null; limit: number }],
      ConversationViewRow
    >(`${view}
      WHERE m.user_id = @userId
        AND (${changeVersionOf} > @since
          OR (${changeVersionOf} = @since AND @afterId IS NOT NULL AND c.id > @afterId))
        AND (c.last_seq > 0 OR c.created_by = m.user_id)
      ORDER BY change_version, c.id
      LIMIT @limit`),

    messageByClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND client_id = ?`,
    ),
    // A dismissed group's timeline is closed to messages (its last event was recorded
    // with takeEventSeq).
    takeSeq: db.prepare<
      [{ conversationId: string; createdAt: number; version: number }],
      { last_seq: number }
    >(`
      UPDATE conversations
      SET last_seq = last_seq + 1, updated_at = max(updated_at, @createdAt), version = @version
      WHERE id = @conversationId AND dismissed_at IS NULL
      RETURNING last_seq`),
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
    // Also the guard that the file still exists: an unsent one may have just expired.
    markFileSent: db.prepare<[{ fileId: string; conversationId: string; now: number }], unknown>(`
      UPDATE files SET sent_at = coalesce(sent_at, @now)
      WHERE id = @fileId AND conversation_id = @conversationId`),
    // Also the guard that the sender is still an active member: no row, no message.
    advanceOwnRead: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members
      SET read_seq = max(read_seq, @seq), delivered_seq = max(delivered_seq, @seq)
      WHERE conversation_id = @conversationId AND user_id = @userId AND state = 'active'`),
    markMentioned: db.prepare<
      [{ conversationId: string; userIds: string; seq: number }],
      unknown
    >(`
      UPDATE conversation_members SET mention_seq = max(mention_seq, @seq)
      WHERE conversation_id = @conversationId AND state = 'active'
        AND user_id IN (SELECT value FROM json_each(@userIds))`),
    markMentionedAll: db.prepare<[{ conversationId: string; seq: number }], unknown>(`
      UPDATE conversations SET mention_all_seq = max(mention_all_seq, @seq)
      WHERE id = @conversationId`),
    messagesAfter: db.prepare<[string, number, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq ASC LIMIT ?`),
    messagesBefore: db.prepare<[string, number, number], MessageRow>(`
      SELECT ${messageColumns} FROM messages
      WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`),

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
