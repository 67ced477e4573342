/**
 * Conversations as members see them, sync listings and read positions on
 * PostgreSQL. Each function runs one statement on the pool, or inside its caller's
 * transaction when given one.
 */
import type { Conversation } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { readTarget } from '../message-change-rules.js';
import {
  messageColumns,
  toConversation,
  type ConversationRow,
  type ConversationViewRow,
} from '../rows.js';
import type { ConversationRecord, ReadMark } from '../storage.js';
import type { PgTransaction, Queryable } from './pg-database.js';
import { changeVersion, conversationView, visibleSeq } from '../conversation-view.js';

const view = conversationView('greatest');
const changeVersionOf = changeVersion('greatest');

/** As SQLite's `im_fold`: JavaScript's lower case, whatever the database's locale. */
export function fold(value: string): string {
  return value.toLowerCase();
}

export async function ensureSingleConversation(
  tx: PgTransaction,
  input: { id: string; memberIds: [string, string]; createdBy: string; now: number },
): Promise<ConversationRecord> {
  // A concurrent creator's insert makes this one wait for its commit, then do nothing.
  const created = await tx.run(
    `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, member_count)
     VALUES ($1, 'single', $2, $3, 0, $3, 2) ON CONFLICT (id) DO NOTHING`,
    [input.id, input.createdBy, input.now],
  );
  if (created > 0) {
    await tx.run(
      `INSERT INTO conversation_members (conversation_id, user_id, joined_at)
       SELECT $1, user_id, $3 FROM unnest($2::text[]) AS member (user_id)`,
      [input.id, input.memberIds, input.now],
    );
    tx.touchConversation(input.id);
  }
  return (await getConversation(tx, input.id))!;
}

export async function getConversation(db: Queryable, id: string): Promise<ConversationRecord | null> {
  const row = await db.row<ConversationRow & { member_ids: string[] }>(
    `SELECT id, type, created_by, created_at, last_seq, updated_at,
       array(SELECT user_id FROM conversation_members
         WHERE conversation_id = c.id AND state = 'active' ORDER BY user_id) AS member_ids
     FROM conversations c WHERE id = $1`,
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    type: row.type,
    memberIds: row.member_ids,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    updatedAt: row.updated_at,
  };
}

export async function getConversationView(
  db: Queryable,
  conversationId: string,
  userId: string,
): Promise<Conversation | null> {
  const row = await db.row<ConversationViewRow>(
    `${view} WHERE m.conversation_id = $1 AND m.user_id = $2`,
    [conversationId, userId],
  );
  return row ? toConversation(row) : null;
}

export async function listConversationIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.rows<{ conversation_id: string }>(
    `SELECT conversation_id FROM conversation_members WHERE user_id = $1 AND state = 'active'`,
    [userId],
  );
  return rows.map((row) => row.conversation_id);
}

export async function listMemberIds(db: Queryable, conversationId: string): Promise<string[]> {
  const rows = await db.rows<{ user_id: string }>(
    `SELECT user_id FROM conversation_members
     WHERE conversation_id = $1 AND state = 'active' ORDER BY user_id`,
    [conversationId],
  );
  return rows.map((row) => row.user_id);
}

/**
 * Empty conversations are listed to their creator only: the peer learns of a chat when
 * its first message arrives.
 */
export async function changedConversations(
  db: Queryable,
  input: { userId: string; since: number; afterId: string | null; limit: number },
): Promise<ConversationViewRow[]> {
  return db.rows<ConversationViewRow>(
    `${view}
     WHERE m.user_id = $1
       AND (${changeVersionOf} > $2
         OR (${changeVersionOf} = $2 AND $4::text IS NOT NULL AND c.id COLLATE "C" > $4::text))
       AND (c.last_seq > 0 OR c.created_by = m.user_id)
     ORDER BY change_version, c.id COLLATE "C"
     LIMIT $3`,
    [input.userId, input.since, input.limit, input.afterId],
  );
}

export async function markRead(
  tx: PgTransaction,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<ReadMark> {
  const position = await tx.row<{
    read_seq: number;
    delivered_seq: number;
    last_seq: number;
    marked_unread: number;
  }>(
    `SELECT m.read_seq, m.delivered_seq, ${visibleSeq} AS last_seq, m.marked_unread
     FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = $1 AND m.user_id = $2
     FOR UPDATE OF m`,
    [conversationId, userId],
  );
  if (!position) throw new CommandError('not_found', 'no such conversation member');
  // Reading a conversation marked unread clears the mark, even with nothing new.
  const target = readTarget(position, seq);
  const deliveredSeq = Math.max(position.delivered_seq, target);
  if (target === position.read_seq && position.marked_unread === 0) {
    return { readSeq: target, deliveredSeq, changed: false };
  }
  await tx.run(
    `UPDATE conversation_members
     SET read_seq = $3, delivered_seq = greatest(delivered_seq, $3), marked_unread = 0
     WHERE conversation_id = $1 AND user_id = $2`,
    [conversationId, userId, target],
  );
  tx.touchMember(conversationId, userId);
  return { readSeq: target, deliveredSeq, changed: true };
}

/** The message columns of `messages`, for statements that read whole messages. */
export const messageSelect = `SELECT ${messageColumns} FROM messages`;
