/**
 * How a decision's timeline writes land on PostgreSQL, one statement each, inside the
 * caller's transaction: the SQL that appends an entry, rewrites a message and marks
 * mentions, shared by single commands and append batches.
 */
import type { NewEntry } from '../../messages/append-decision.js';
import { fold } from '../postgres/fold.js';
import type { PgTransaction } from '../postgres/pg-database.js';
import type { MessageRow } from '../rows.js';
import { entryRow } from './entry-row.js';

/** A row to insert: its text kept folded for search (a text message's only). */
export type EntryRow = MessageRow & { type: string; search_text: string | null };

export function searchableRow(entry: NewEntry, seq: number): EntryRow {
  const { body } = entry;
  return Object.assign(entryRow(entry, seq), { search_text: body.type === 'text' ? fold(body.text) : null });
}

export async function insertEntries(tx: PgTransaction, rows: readonly EntryRow[]): Promise<void> {
  const column = <K extends keyof EntryRow>(key: K) => rows.map((row) => row[key]);
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at,
       reply_to, search_text)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::bigint[], $9::text[], $10::text[])`,
    [
      column('id'),
      column('conversation_id'),
      column('seq'),
      column('sender_id'),
      column('client_id'),
      column('type'),
      column('body'),
      column('created_at'),
      column('reply_to'),
      column('search_text'),
    ],
  );
}

/** [conversationId, userId, seq] */
export type Position = [conversationId: string, userId: string, seq: number];

// One row per member: an UPDATE joined to two rows of one member would apply only one.
const advanceSql = (set: string) => `
  UPDATE conversation_members m SET ${set}
  FROM (SELECT conversation_id, user_id, max(seq) AS seq
        FROM unnest($1::text[], $2::text[], $3::int[]) AS p (conversation_id, user_id, seq)
        GROUP BY conversation_id, user_id) AS position
  WHERE m.conversation_id = position.conversation_id AND m.user_id = position.user_id
    AND m.state = 'active'`;

const advanceStatements = {
  // Writing an entry means having read (and received) everything before it.
  read: advanceSql(`read_seq = greatest(m.read_seq, position.seq),
    delivered_seq = greatest(m.delivered_seq, position.seq)`),
  // Bounded by the mentions limit, whatever the size of the group.
  mention: advanceSql('mention_seq = greatest(m.mention_seq, position.seq)'),
};

export async function advance(tx: PgTransaction, what: 'read' | 'mention', positions: Position[]): Promise<void> {
  if (positions.length === 0) return;
  await tx.run(advanceStatements[what], [
    positions.map((position) => position[0]),
    positions.map((position) => position[1]),
    positions.map((position) => position[2]),
  ]);
}

/** `@all`: the conversations' mention seq, for each the highest given. */
export async function markMentionedAll(tx: PgTransaction, marks: [conversationId: string, seq: number][]): Promise<void> {
  if (marks.length === 0) return;
  await tx.run(
    `UPDATE conversations c SET mention_all_seq = greatest(c.mention_all_seq, mention.seq)
     FROM (SELECT id, max(seq) AS seq FROM unnest($1::text[], $2::int[]) AS m (id, seq) GROUP BY id)
       AS mention
     WHERE c.id = mention.id`,
    [marks.map((mark) => mark[0]), marks.map((mark) => mark[1])],
  );
}
