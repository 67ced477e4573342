import type { Database } from 'better-sqlite3';
import type { Receipt } from '../../../protocol/index.js';
import { messageColumns, type MessageRow } from '../rows.js';

export interface MemberSettingsRow {
  conversationId: string;
  userId: string;
  pinnedAt: number | null;
  notificationsMuted: number;
  hiddenSeq: number | null;
  markedUnread: number;
  version: number;
}

/** Statements for message changes, receipts and member settings (see sqlite-message-state.ts). */
export function prepareMessageStateStatements(db: Database) {
  return {
    messageAt: db.prepare<[string, number], MessageRow & { type: string }>(
      `SELECT ${messageColumns}, type FROM messages WHERE conversation_id = ? AND seq = ?`,
    ),
    rewriteMessage: db.prepare<
      [{ conversationId: string; seq: number; body: string; type: string; editedAt: number | null }],
      unknown
    >(`
      UPDATE messages SET body = @body, type = @type, edited_at = coalesce(@editedAt, edited_at)
      WHERE conversation_id = @conversationId AND seq = @seq`),
    memberState: db.prepare<
      [string, string],
      {
        state: string;
        role: string;
        read_seq: number;
        delivered_seq: number;
        last_seq: number;
        pinned_at: number | null;
        notifications_muted: number;
        hidden_seq: number | null;
        marked_unread: number;
      }
    >(`
      SELECT m.state, m.role, m.read_seq, m.delivered_seq, coalesce(m.left_seq, c.last_seq) AS last_seq,
        m.pinned_at, m.notifications_muted, m.hidden_seq, m.marked_unread
      FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.conversation_id = ? AND m.user_id = ?`),
    setDeliveredSeq: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members SET delivered_seq = @seq
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    receipts: db.prepare<[string], Omit<Receipt, 'conversationId'>>(`
      SELECT user_id AS userId, delivered_seq AS deliveredSeq, read_seq AS readSeq
      FROM conversation_members WHERE conversation_id = ? AND state = 'active'
      ORDER BY user_id`),
    readers: db
      .prepare<[{ conversationId: string; seq: number; senderId: string; limit: number }], string>(`
        SELECT user_id FROM conversation_members
        WHERE conversation_id = @conversationId AND state = 'active' AND user_id <> @senderId
          AND read_seq >= @seq
        ORDER BY user_id LIMIT @limit`)
      .pluck(),
    readerCounts: db.prepare<
      [{ conversationId: string; seq: number; senderId: string }],
      { audience: number; read_count: number }
    >(`
      SELECT count(*) AS audience, coalesce(sum(read_seq >= @seq), 0) AS read_count
      FROM conversation_members
      WHERE conversation_id = @conversationId AND state = 'active' AND user_id <> @senderId`),
    setMemberSettings: db.prepare<[MemberSettingsRow], unknown>(`
      UPDATE conversation_members
      SET pinned_at = @pinnedAt, notifications_muted = @notificationsMuted,
        hidden_seq = @hiddenSeq, marked_unread = @markedUnread, version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
  };
}
