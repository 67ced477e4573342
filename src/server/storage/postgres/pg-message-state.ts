/**
 * Recall, edit, receipts and member settings on PostgreSQL. Each function runs inside
 * its caller's transaction, or reads as one statement.
 */
import type { Conversation, Message, Receipt } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import {
  actorMayChange,
  changeEvent,
  deliveryMark,
  nextMemberSettings,
  requireChangeAllowed,
  rewrittenTarget,
  type MemberSettingsState,
} from '../message-change-rules.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import { visibleSeq } from '../conversation-view.js';
import { fold, getConversationView, messageSelect } from './pg-conversations.js';
import type { PgTransaction, Queryable } from './pg-database.js';

export async function getMessage(db: Queryable, conversationId: string, seq: number): Promise<Message | null> {
  const row = await db.row<MessageRow>(`${messageSelect} WHERE conversation_id = $1 AND seq = $2`, [
    conversationId,
    seq,
  ]);
  return row ? toMessage(row) : null;
}

type MemberStateRow = MemberSettingsState & {
  state: string;
  read_seq: number;
  delivered_seq: number;
};

async function memberState(
  tx: PgTransaction,
  conversationId: string,
  userId: string,
): Promise<MemberStateRow | undefined> {
  return tx.row<MemberStateRow>(
    `SELECT m.state, m.read_seq, m.delivered_seq, ${visibleSeq} AS last_seq,
       m.pinned_at, m.notifications_muted, m.hidden_seq, m.marked_unread
     FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.conversation_id = $1 AND m.user_id = $2
     FOR UPDATE OF m`,
    [conversationId, userId],
  );
}

export async function changeMessage(tx: PgTransaction, input: MessageChangeInput): Promise<MessageChangeResult> {
  const { conversationId, actorId, seq, change } = input;
  const existing = await tx.row<MessageRow>(`${messageSelect} WHERE sender_id = $1 AND client_id = $2`, [
    actorId,
    input.clientId,
  ]);
  if (existing) {
    const event = toMessage(existing);
    const targetSeq = 'targetSeq' in event.body ? event.body.targetSeq : seq;
    return { event, target: (await getMessage(tx, event.conversationId, targetSeq))!, duplicate: true };
  }
  // The timeline's lock first: a recall and an edit of one message never both pass.
  const conversation = await tx.row<{ dismissed_at: number | null }>(
    'SELECT dismissed_at FROM conversations WHERE id = $1 FOR UPDATE',
    [conversationId],
  );
  const actor = conversation && (await memberState(tx, conversationId, actorId));
  const target = await tx.row<MessageRow & { type: string }>(
    `SELECT ${messageColumns}, type FROM messages WHERE conversation_id = $1 AND seq = $2`,
    [conversationId, seq],
  );
  if (!actorMayChange(target, actor, input)) {
    throw new CommandError('not_found', 'no such message');
  }
  requireChangeAllowed(target, input);
  if (conversation?.dismissed_at != null) throw new CommandError('group_dismissed', 'the group was dismissed');

  const taken = (await tx.row<{ last_seq: number }>(
    `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
     WHERE id = $1 RETURNING last_seq`,
    [conversationId, input.createdAt],
  ))!;
  tx.touchConversation(conversationId);
  const { row: eventRow, type } = changeEvent(input, taken.last_seq);
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [eventRow.id, conversationId, eventRow.seq, actorId, input.clientId, type, eventRow.body, input.createdAt],
  );
  await tx.run(
    `UPDATE conversation_members
     SET read_seq = greatest(read_seq, $3), delivered_seq = greatest(delivered_seq, $3)
     WHERE conversation_id = $1 AND user_id = $2 AND state = 'active'`,
    [conversationId, actorId, eventRow.seq],
  );

  const rewritten = rewrittenTarget(input);
  // The search text changes with the message: a recalled one is no longer found.
  await tx.run(
    `UPDATE messages SET body = $3, type = $4, edited_at = coalesce($5, edited_at), search_text = $6
     WHERE conversation_id = $1 AND seq = $2`,
    [
      conversationId,
      seq,
      rewritten.body,
      rewritten.type,
      rewritten.editedAt,
      change.type === 'edit' ? fold(change.text.text) : null,
    ],
  );
  if (change.type === 'edit') await markMentioned(tx, conversationId, seq, change.text);
  return {
    event: toMessage(eventRow),
    target: (await getMessage(tx, conversationId, seq))!,
    duplicate: false,
  };
}

async function markMentioned(
  tx: PgTransaction,
  conversationId: string,
  seq: number,
  text: { mentions?: string[]; mentionAll?: boolean },
): Promise<void> {
  if (text.mentions?.length) {
    await tx.run(
      `UPDATE conversation_members SET mention_seq = greatest(mention_seq, $3)
       WHERE conversation_id = $1 AND state = 'active' AND user_id = ANY($2::text[])`,
      [conversationId, text.mentions, seq],
    );
  }
  if (text.mentionAll) {
    await tx.run(
      'UPDATE conversations SET mention_all_seq = greatest(mention_all_seq, $2) WHERE id = $1',
      [conversationId, seq],
    );
  }
}

export async function markDelivered(
  tx: PgTransaction,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<{ deliveredSeq: number; readSeq: number; changed: boolean }> {
  const member = await memberState(tx, conversationId, userId);
  if (!member) throw new CommandError('not_found', 'no such conversation member');
  const mark = deliveryMark(member, seq);
  if (mark.changed) {
    await tx.run(
      'UPDATE conversation_members SET delivered_seq = $3 WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, userId, mark.deliveredSeq],
    );
  }
  return mark;
}

export async function listReceipts(db: Queryable, conversationId: string): Promise<Receipt[]> {
  const rows = await db.rows<Omit<Receipt, 'conversationId'>>(
    `SELECT user_id AS "userId", delivered_seq AS "deliveredSeq", read_seq AS "readSeq"
     FROM conversation_members WHERE conversation_id = $1 AND state = 'active'
     ORDER BY user_id`,
    [conversationId],
  );
  return rows.map((receipt) => ({ conversationId, ...receipt }));
}

/** In one statement: the counts and the first readers agree. */
export async function countReaders(
  db: Queryable,
  conversationId: string,
  input: { seq: number; senderId: string; limit: number },
): Promise<ReadersCount> {
  const row = (await db.row<{ audience: number; read_count: number; reader_ids: string[] }>(
    `SELECT count(*) AS audience, count(*) FILTER (WHERE read_seq >= $2) AS read_count,
       coalesce((array_agg(user_id ORDER BY user_id) FILTER (WHERE read_seq >= $2))[1:$4], '{}')
         AS reader_ids
     FROM conversation_members
     WHERE conversation_id = $1 AND state = 'active' AND user_id <> $3`,
    [conversationId, input.seq, input.senderId, input.limit],
  ))!;
  return { readCount: row.read_count, readerIds: row.reader_ids, audience: row.audience };
}

export async function updateMemberSettings(
  tx: PgTransaction,
  input: { conversationId: string; userId: string; changes: MemberSettingsChanges; now: number },
): Promise<Conversation> {
  const { conversationId, userId } = input;
  const current = await memberState(tx, conversationId, userId);
  if (!current) throw new CommandError('not_found', 'no such conversation');
  const next = nextMemberSettings(current, input.changes, input.now);
  await tx.run(
    `UPDATE conversation_members
     SET pinned_at = $3, notifications_muted = $4, hidden_seq = $5, marked_unread = $6
     WHERE conversation_id = $1 AND user_id = $2`,
    [conversationId, userId, next.pinnedAt, next.notificationsMuted, next.hiddenSeq, next.markedUnread],
  );
  tx.touchMember(conversationId, userId);
  return (await getConversationView(tx, conversationId, userId))!;
}
