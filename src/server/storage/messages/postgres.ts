/**
 * The messages area on PostgreSQL: appends are batched per process, the rest is written
 * once (sql.ts). The appends that arrive while a commit is in flight go into the next
 * one, and a batch costs a fixed number of statements however many messages,
 * conversations and members it holds: it loads what every append's decision needs at
 * once, decides each, and applies the writes of all, one statement per kind. Several
 * processes append to one conversation at once: the conversation's row lock orders them,
 * and seqs are taken under it, so they stay gap-free.
 */
import {
  attachedFileId,
  decideAppend,
  type AppendMessageInput,
  type AppendMessageResult,
  type NewEntry,
  type TimelineWrite,
} from '../../messages/append-decision.js';
import { CommandError } from '../../errors.js';
import type { PgDatabase, PgTransaction } from '../postgres/pg-database.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import { entryRow, searchText } from '../timeline.js';
import type { MessageStorage } from './contract.js';
import { AppendBatches, type Settled } from './append-batches.js';
import { sqlMessageChange, sqlMessageReact, sqlMessageReads } from './sql.js';

/** The area, and what closing the storage needs of it. */
export interface PostgresMessages extends MessageStorage {
  /** Waits for every accepted append to settle. */
  drainAppends(): Promise<void>;
}

export function postgresMessages(db: PgDatabase): PostgresMessages {
  // One transaction in flight at a time per process; past 500 appends wait for the next.
  const appends = new AppendBatches<AppendMessageInput, AppendMessageResult>(
    (batch) => db.transaction((tx) => appendAll(tx, batch)),
    500,
  );
  return {
    drainAppends: () => appends.drain(),
    read: sqlMessageReads(db),
    write: {
      async append(input) {
        if (db.closed) throw new CommandError('unavailable', 'storage is closed');
        return appends.submit(input);
      },
      change: sqlMessageChange(db),
      react: sqlMessageReact(db),
    },
  };
}

const keyOf = (senderId: string, clientId: string) => JSON.stringify([senderId, clientId]);

/** An append its decision allowed, with its writes; `row` once its seq is taken. */
interface Accepted {
  index: number;
  input: AppendMessageInput;
  writes: TimelineWrite[];
  row?: EntryRow;
}

async function appendAll(tx: PgTransaction, inputs: AppendMessageInput[]): Promise<Settled<AppendMessageResult>[]> {
  const results: (Settled<AppendMessageResult> | undefined)[] = new Array(inputs.length);
  // A clientId sent twice in one batch: the later ones are answered like the first.
  const firstOf = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  inputs.forEach((input, index) => {
    const key = keyOf(input.senderId, input.clientId);
    const first = firstOf.get(key);
    if (first === undefined) firstOf.set(key, index);
    else repeats.push([index, first]);
  });
  const unique = [...firstOf.values()].map((index) => ({ index, input: inputs[index]! }));

  const snapshot = await loadBatch(tx, unique.map((item) => item.input));
  const accepted: Accepted[] = [];
  for (const { index, input } of unique) {
    const decision = decideAppend(snapshot.of(input), input, input.createdAt);
    if (!decision.ok) results[index] = { ok: false, error: decision.error };
    else if (decision.result.duplicate) {
      results[index] = { ok: true, value: { message: decision.result.message, duplicate: true } };
    } else accepted.push({ index, input, writes: decision.writes });
  }
  if (accepted.length > 0) await applyAll(tx, accepted);
  for (const item of accepted) {
    results[item.index] = { ok: true, value: { message: toMessage(item.row!), duplicate: false } };
  }
  for (const [index, first] of repeats) {
    const original = results[first]!;
    results[index] = original.ok ? { ok: true, value: { ...original.value, duplicate: true } } : original;
  }
  return results as Settled<AppendMessageResult>[];
}

/**
 * What the batch's decisions need, in at most four statements: the messages stored
 * before under the same clientIds, the conversations (locked, in id order, as every
 * transaction that locks several does), the senders' memberships, and the files. The
 * files are marked sent as they are read: that UPDATE is how the batch locks them
 * against the expiry of unsent ones (`removeUnsentFiles`) and learns which still exist,
 * in one statement. Marked first, a file is no longer unsent; removed first, the message
 * is refused and points at no missing bytes. A refused message leaves its file marked:
 * harmless, it was the sender's own.
 */
async function loadBatch(tx: PgTransaction, inputs: AppendMessageInput[]) {
  const stored = await tx.rows<MessageRow>(
    `SELECT ${messageColumns} FROM messages WHERE (sender_id, client_id) IN
       (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [inputs.map((input) => input.senderId), inputs.map((input) => input.clientId)],
  );
  const storedByKey = new Map(stored.map((row) => [keyOf(row.sender_id, row.client_id), row]));
  const fresh = inputs.filter((input) => !storedByKey.has(keyOf(input.senderId, input.clientId)));
  const conversationIds = [...new Set(fresh.map((input) => input.conversationId))];
  const conversations =
    fresh.length === 0
      ? []
      : await tx.rows<{ id: string; dismissed_at: number | null }>(
          `SELECT id, dismissed_at FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
          [conversationIds],
        );
  const dismissed = new Map(conversations.map((row) => [row.id, row.dismissed_at !== null]));
  const members =
    fresh.length === 0
      ? []
      : await tx.rows<{ conversation_id: string; user_id: string }>(
          `SELECT conversation_id, user_id FROM conversation_members
           WHERE (conversation_id, user_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
             AND state = 'active'`,
          [fresh.map((input) => input.conversationId), fresh.map((input) => input.senderId)],
        );
  const active = new Set(members.map((row) => keyOf(row.conversation_id, row.user_id)));
  const files = await markFilesSent(tx, fresh);
  return {
    of: (input: AppendMessageInput) => {
      const original = storedByKey.get(keyOf(input.senderId, input.clientId));
      if (original) return { stored: toMessage(original), conversation: null, senderActive: false, fileFound: false };
      const isDismissed = dismissed.get(input.conversationId);
      const fileId = attachedFileId(input);
      return {
        stored: null,
        conversation: isDismissed === undefined ? null : { dismissed: isDismissed },
        senderActive: active.has(keyOf(input.conversationId, input.senderId)),
        fileFound: fileId !== null && files.has(keyOf(fileId, input.conversationId)),
      };
    },
  };
}

/** Marks the files the messages carry as sent; the [fileId, conversationId] keys of those still there. */
async function markFilesSent(tx: PgTransaction, inputs: AppendMessageInput[]): Promise<Set<string>> {
  const withFile = inputs.filter((input) => attachedFileId(input) !== null);
  if (withFile.length === 0) return new Set();
  const marked = await tx.rows<{ id: string; conversation_id: string }>(
    `UPDATE files f SET sent_at = coalesce(f.sent_at, sent.at)
     FROM (SELECT id, conversation_id, min(at) AS at
           FROM unnest($1::text[], $2::text[], $3::bigint[]) AS s (id, conversation_id, at)
           GROUP BY id, conversation_id) AS sent
     WHERE f.id = sent.id AND f.conversation_id = sent.conversation_id
     RETURNING f.id, f.conversation_id`,
    [withFile.map(attachedFileId), withFile.map((input) => input.conversationId), withFile.map((input) => input.createdAt)],
  );
  return new Set(marked.map((row) => keyOf(row.id, row.conversation_id)));
}

/**
 * Takes the seqs of each conversation in one statement, then inserts the entries, moves
 * their authors' read positions and the mentions, each in one statement for the batch.
 * The files were marked when the batch was loaded.
 */
async function applyAll(tx: PgTransaction, accepted: Accepted[]): Promise<void> {
  const perConversation = new Map<string, Accepted[]>();
  for (const item of accepted) {
    const list = perConversation.get(item.input.conversationId) ?? [];
    list.push(item);
    perConversation.set(item.input.conversationId, list);
  }
  const ids = [...perConversation.keys()];
  const taken = await tx.rows<{ id: string; last_seq: number }>(
    `UPDATE conversations c
     SET last_seq = c.last_seq + taken.count, updated_at = greatest(c.updated_at, taken.created_at)
     FROM unnest($1::text[], $2::int[], $3::bigint[]) AS taken (id, count, created_at)
     WHERE c.id = taken.id
     RETURNING c.id, c.last_seq`,
    [
      ids,
      ids.map((id) => perConversation.get(id)!.length),
      ids.map((id) => Math.max(...perConversation.get(id)!.map((item) => item.input.createdAt))),
    ],
  );
  for (const { id, last_seq } of taken) {
    const list = perConversation.get(id)!;
    list.forEach((item, offset) => {
      const seq = last_seq - list.length + 1 + offset;
      for (const write of item.writes) if (write.kind === 'appendEntry') item.row = searchableRow(write.entry, seq);
    });
    tx.touchConversation(id);
  }
  const rows = accepted.map((item) => item.row!);
  await insertEntries(tx, rows);
  await advance(tx, 'read', rows.map((row): Position => [row.conversation_id, row.sender_id, row.seq]));
  const mentioned: Position[] = [];
  const mentionedAll: [string, number][] = [];
  for (const { writes, row } of accepted) {
    for (const write of writes) {
      if (write.kind === 'markMentioned') {
        for (const userId of write.userIds) mentioned.push([row!.conversation_id, userId, write.seq ?? row!.seq]);
      } else if (write.kind === 'markMentionedAll') mentionedAll.push([row!.conversation_id, write.seq ?? row!.seq]);
    }
  }
  await advance(tx, 'mention', mentioned);
  await markMentionedAll(tx, mentionedAll);
}

/** A row to insert: its text kept folded for search (a text message's only). */
type EntryRow = MessageRow & { type: string; search_text: string | null };

function searchableRow(entry: NewEntry, seq: number): EntryRow {
  return Object.assign(entryRow(entry, seq), { search_text: searchText(entry.body) });
}

async function insertEntries(tx: PgTransaction, rows: readonly EntryRow[]): Promise<void> {
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
type Position = [conversationId: string, userId: string, seq: number];

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

async function advance(tx: PgTransaction, what: 'read' | 'mention', positions: Position[]): Promise<void> {
  if (positions.length === 0) return;
  await tx.run(advanceStatements[what], [
    positions.map((position) => position[0]),
    positions.map((position) => position[1]),
    positions.map((position) => position[2]),
  ]);
}

/** `@all`: the conversations' mention seq, for each the highest given. */
async function markMentionedAll(tx: PgTransaction, marks: [conversationId: string, seq: number][]): Promise<void> {
  if (marks.length === 0) return;
  await tx.run(
    `UPDATE conversations c SET mention_all_seq = greatest(c.mention_all_seq, mention.seq)
     FROM (SELECT id, max(seq) AS seq FROM unnest($1::text[], $2::int[]) AS m (id, seq) GROUP BY id)
       AS mention
     WHERE c.id = mention.id`,
    [marks.map((mark) => mark[0]), marks.map((mark) => mark[1])],
  );
}
