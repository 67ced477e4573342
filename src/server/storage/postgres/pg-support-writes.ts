/**
 * The writes every support change is made of, on PostgreSQL, inside the caller's
 * transaction (pg-support.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Message, PageView, SupportActivity, SystemEvent } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import { CommandError } from '../../errors.js';
import { systemClientId } from '../../groups/ids.js';
import { toMessage } from '../rows.js';
import type { SupportCaseRecord } from '../support-storage.js';
import { caseQuery, toCaseRecord, type CaseRow, type PageViewRow } from '../support-rows.js';
import type { PgTransaction } from './pg-database.js';

/** The case, its conversation's and its own row locked for the rest of the transaction. */
export async function requireCase(tx: PgTransaction, conversationId: string): Promise<SupportCaseRecord> {
  const row = await tx.row<CaseRow>(`${caseQuery} WHERE s.conversation_id = $1 FOR UPDATE OF c, s`, [
    conversationId,
  ]);
  if (!row) throw new CommandError('not_found', 'no such support conversation');
  return toCaseRecord(row);
}

/** Saves the case and lists the conversation in members' next sync. */
export async function saveCase(tx: PgTransaction, record: SupportCaseRecord): Promise<void> {
  await tx.run(
    `UPDATE support_cases SET customer_id = $2, status = $3, assignee_id = $4, email = $5,
       page_url = $6, page_title = $7, context = $8, opened_at = $9, resolved_at = $10,
       away_notified = $11
     WHERE conversation_id = $1`,
    [
      record.conversationId,
      record.customerId,
      record.status,
      record.assigneeId,
      record.email,
      record.page?.url ?? null,
      record.page?.title ?? null,
      record.context ? JSON.stringify(record.context) : null,
      record.openedAt,
      record.resolvedAt,
      record.awayNotified ? 1 : 0,
    ],
  );
  tx.touchConversation(record.conversationId);
}

/** Joins without a timeline event; an agent who lost the role and got it back is active again. */
export async function joinSilently(tx: PgTransaction, conversationId: string, userId: string, now: number): Promise<void> {
  await tx.run(
    `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET state = 'active', left_seq = NULL`,
    [conversationId, userId, now],
  );
  tx.touchMember(conversationId, userId);
}

export async function countMembers(tx: PgTransaction, conversationId: string): Promise<void> {
  await tx.run(
    `UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
       WHERE m.conversation_id = conversations.id AND m.state = 'active')
     WHERE id = $1`,
    [conversationId],
  );
}

/** A system event with the conversation's next seq. */
export async function recordEvent(
  tx: PgTransaction,
  conversationId: string,
  senderId: string,
  now: number,
  event: SystemEvent,
): Promise<Message> {
  const taken = await tx.row<{ last_seq: number }>(
    `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
     WHERE id = $1 RETURNING last_seq`,
    [conversationId, now],
  );
  if (!taken) throw new CommandError('not_found', 'no such conversation');
  const row = {
    id: randomUUID(),
    conversation_id: conversationId,
    seq: taken.last_seq,
    sender_id: senderId,
    client_id: systemClientId(),
    body: JSON.stringify({ type: 'system', event }),
    created_at: now,
    reply_to: null,
    edited_at: null,
  };
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
     VALUES ($1, $2, $3, $4, $5, 'system', $6, $7)`,
    [row.id, conversationId, row.seq, senderId, row.client_id, row.body, now],
  );
  tx.touchConversation(conversationId);
  return toMessage(row);
}

export async function addPageView(tx: PgTransaction, conversationId: string, view: PageView): Promise<void> {
  const last = await tx.row<PageViewRow>(
    `SELECT url, title, context, at FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1`,
    [conversationId],
  );
  const context = view.context ? JSON.stringify(view.context) : null;
  if (last && last.url === view.url && last.title === view.title && last.context === context) return;
  await tx.run(
    `INSERT INTO support_page_views (conversation_id, url, title, context, at) VALUES ($1, $2, $3, $4, $5)`,
    [conversationId, view.url, view.title, context, view.at],
  );
  await tx.run(
    `DELETE FROM support_page_views WHERE conversation_id = $1 AND id NOT IN (
       SELECT id FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)`,
    [conversationId, limits.supportPagesKept],
  );
}

export async function logActivity(tx: PgTransaction, conversationId: string, activity: SupportActivity): Promise<void> {
  await tx.run(
    `INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at) VALUES ($1, $2, $3, $4, $5)`,
    [conversationId, activity.kind, activity.by, activity.agentId, activity.at],
  );
}

