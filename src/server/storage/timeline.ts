/**
 * A timeline entry written by a command's transaction (a system event, a recall or an
 * edit event): it takes the next seq from `conversations.last_seq`, as appends do, and
 * the message search follows the texts (SQLite's FTS index, PostgreSQL's `search_text`).
 * Appends are batched per backend instead (messages/sqlite.ts, messages/postgres.ts).
 */
import { randomUUID } from 'node:crypto';
import { plainText, type Message, type MessageBody, type SystemEvent } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { systemClientId } from '../groups/ids.js';
import type { NewEntry } from '../messages/append-decision.js';
import { fold } from './postgres/fold.js';
import type { MessageRow } from './rows.js';
import type { SqlTransaction } from './sql/sql.js';

/** A message row to insert, with its body's type in a column of its own for queries. */
export type EntryRow = MessageRow & { type: string };

/** An entry's row once its seq is taken. `serializedBody`, if given, is `JSON.stringify(entry.body)`. */
export function entryRow(entry: NewEntry, seq: number, serializedBody?: string): EntryRow {
  return {
    id: entry.id,
    conversation_id: entry.conversationId,
    seq,
    sender_id: entry.senderId,
    client_id: entry.clientId,
    type: entry.body.type,
    body: serializedBody ?? JSON.stringify(entry.body),
    created_at: entry.createdAt,
    reply_to: entry.replyTo ? JSON.stringify(entry.replyTo) : null,
    edited_at: null,
  };
}

const takeSeq = `
  UPDATE conversations SET last_seq = last_seq + 1, updated_at = max(updated_at, $2)
  WHERE id = $1 RETURNING last_seq`;
export const insertOnSqlite = `
  INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at, reply_to)
  VALUES ($1, $2, $9, $3, $4, $5, $6, $7, $8)`;
// PostgreSQL takes the seq and stores the entry in one round trip.
const insertOnPostgres = `
  WITH taken AS (
    UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $10)
    WHERE id = $2 RETURNING last_seq)
  INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at, reply_to, search_text)
  SELECT $1, $2, last_seq, $3, $4, $5, $6, $7, $8, $9 FROM taken RETURNING seq`;

/** A row's values for `insertOnSqlite` but its seq (`$9`), and the first of `insertOnPostgres`. */
export function entryValues(row: EntryRow): unknown[] {
  return [row.id, row.conversation_id, row.sender_id, row.client_id, row.type, row.body, row.created_at, row.reply_to];
}

/** The text a search finds a message by: a text message's words without their marks, folded; null for anything else. */
export function searchText(body: MessageBody): string | null {
  return body.type === 'text' ? fold(plainText(body.text)) : null;
}

/** Stores `entry` with its conversation's next seq; `not_found` if there is no such conversation. */
export async function insertEntry(tx: SqlTransaction, entry: NewEntry): Promise<Message> {
  const { body } = entry;
  const row = entryRow(entry, 0);
  const values = entryValues(row);
  // A reaction is no new activity: the conversation keeps its place in the list.
  const activeAt = body.type === 'reaction' ? 0 : row.created_at;
  let seq: number | undefined;
  if (tx.dialect === 'postgres') {
    seq = (await tx.row<{ seq: number }>(insertOnPostgres, [...values, searchText(body), activeAt]))?.seq;
  } else {
    // SQLite has no UPDATE inside WITH: two statements, in the same transaction.
    seq = (await tx.row<{ last_seq: number }>(takeSeq, [row.conversation_id, activeAt]))?.last_seq;
    if (seq !== undefined) {
      await tx.run(insertOnSqlite, [...values, seq]);
      if (body.type === 'text') await indexOnSqlite(tx, row.conversation_id, seq, body);
    }
  }
  if (seq === undefined) throw new CommandError('not_found', 'no such conversation');
  tx.touchConversation(row.conversation_id);
  return { ...entry, seq };
}

// SQLite's index is keyed by each message's arrival, contentless with deletes: a replaced
// entry needs no old text and keeps its place (newest first is highest arrival first).
const replaceIndexed = `
  INSERT OR REPLACE INTO message_search (rowid, text)
  SELECT arrival, $3 FROM messages WHERE conversation_id = $1 AND seq = $2`;
const deleteIndexed = `
  DELETE FROM message_search
  WHERE rowid = (SELECT arrival FROM messages WHERE conversation_id = $1 AND seq = $2)`;

/**
 * SQLite's search index after the message at `seq` got `body`: its text, or no entry (a
 * recalled message is no longer found). PostgreSQL writes `search_text` with the row.
 */
export async function indexOnSqlite(tx: SqlTransaction, conversationId: string, seq: number, body: MessageBody): Promise<void> {
  if (body.type === 'text') await tx.run(replaceIndexed, [conversationId, seq, plainText(body.text)]);
  else await tx.run(deleteIndexed, [conversationId, seq]);
}

/** Records `event` by `senderId` with the conversation's next seq; `not_found` if there is no such conversation. */
export async function recordSystemEvent(
  tx: SqlTransaction,
  at: { conversationId: string; now: number },
  senderId: string,
  event: SystemEvent,
): Promise<Message> {
  const { conversationId, now: createdAt } = at;
  const body = { type: 'system' as const, event };
  return insertEntry(tx, { id: randomUUID(), conversationId, senderId, clientId: systemClientId(), body, createdAt });
}
