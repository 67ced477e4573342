/**
 * Appending messages on SQLite: the appends that arrive in one event-loop turn commit as
 * one transaction (append-batches.ts), on statements of their own, prepared once. The rest
 * of the area is written once (sql.ts).
 */
import type { Database } from 'better-sqlite3';
import type { Message } from '../../../protocol/index.js';
import {
  decideAppend,
  type AppendMessageInput,
  type AppendMessageResult,
  type TimelineWrite,
} from '../../messages/append-decision.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import type { SqlDatabase } from '../sql/sql.js';
import { entryRow } from '../timeline.js';
import { storageClosed, type SqliteConnection } from '../sqlite/connection.js';
import type { MessageStorage } from './contract.js';
import { AppendBatches, type Settled } from './append-batches.js';
import { sqlMessageChange, sqlMessageReads } from './sql.js';

/** One row whatever exists: each part is null when missing. */
interface AppendSnapshotRow {
  stored_id: string | null;
  conversation_found: number;
  dismissed: number;
  sender_state: string | null;
  file_found: number;
}

function prepare(db: Database) {
  return {
    byClientId: db.prepare<[string, string], MessageRow>(
      `SELECT ${messageColumns} FROM messages WHERE sender_id = ? AND client_id = ?`,
    ),
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
    // The change version (what `changedConversations` pages by) a batch stamps.
    version: db.prepare<[], number>(`UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`).pluck(),
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
    markMentioned: db.prepare<[{ conversationId: string; userIds: string; seq: number }], unknown>(`
      UPDATE conversation_members SET mention_seq = max(mention_seq, @seq)
      WHERE conversation_id = @conversationId AND state = 'active'
        AND user_id IN (SELECT value FROM json_each(@userIds))`),
    markMentionedAll: db.prepare<[{ conversationId: string; seq: number }], unknown>(`
      UPDATE conversations SET mention_all_seq = max(mention_all_seq, @seq)
      WHERE id = @conversationId`),
    // The search index (FTS5, contentless) keys a text by its message's arrival.
    index: db.prepare<[number, string], unknown>('INSERT INTO message_search (rowid, text) VALUES (?, ?)'),
  };
}
type Statements = ReturnType<typeof prepare>;

/** An append, with its body as JSON when the caller serialized it already. */
interface PendingAppend {
  input: AppendMessageInput;
  serializedBody?: string;
}

/** The area, and what closing the storage and the worker need of it. */
export interface SqliteMessages extends MessageStorage {
  /** Waits for every accepted append to settle. */
  drainAppends(): Promise<void>;
  /** `write.append`, with `serializedBody` (`JSON.stringify(input.body)`) stored as it is. */
  appendSerialized(input: AppendMessageInput, serializedBody: string): Promise<AppendMessageResult>;
}

/** The area on `connection`; `db` is the query interface on the same connection. */
export function sqliteMessages(connection: SqliteConnection, db: SqlDatabase): SqliteMessages {
  // The whole batch in one transaction, sharing one change version (it commits as one).
  // Savepoints would keep a failure alone too, but cost two statements per message.
  const appends = new AppendBatches<PendingAppend, AppendMessageResult>((batch) =>
    connection.run(prepare, (sql) => connection.db.transaction(() => appendBatch(sql, batch, sql.version.get()!)).immediate()),
  );
  const submit = (append: PendingAppend) =>
    connection.db.open ? appends.submit(append) : Promise.reject(storageClosed());
  return {
    drainAppends: () => appends.drain(),
    appendSerialized: (input, serializedBody) => submit({ input, serializedBody }),
    read: sqlMessageReads(db),
    write: {
      // Not inside an asynchronous transaction in progress: after it.
      append: async (input) => connection.whenFree(() => submit({ input })),
      change: sqlMessageChange(db),
    },
  };
}

/**
 * A batch inside its transaction: each message, then the search index of the new texts.
 * The index comes last because FTS5 writes out the terms it holds in memory whenever a
 * statement of the transaction opens a savepoint (an UPDATE … RETURNING does): indexed
 * between messages, each text became a segment of its own, which cost more than all the
 * rest of an append; indexed together, the batch is one segment.
 */
function appendBatch(sql: Statements, inputs: readonly PendingAppend[], version: number): Settled<AppendMessageResult>[] {
  const texts: { arrival: number; text: string }[] = [];
  const settled = inputs.map(({ input, serializedBody }): Settled<AppendMessageResult> => {
    const body = input.body;
    const fileId = body.type === 'image' || body.type === 'file' ? body.file.id : null;
    const found = sql.appendSnapshot.get({ ...input, fileId })!;
    const stored = found.stored_id === null ? null : toMessage(sql.byClientId.get(input.senderId, input.clientId)!);
    const snapshot = {
      stored,
      conversation: found.conversation_found === 1 ? { dismissed: found.dismissed === 1 } : null,
      senderActive: found.sender_state === 'active',
      fileFound: found.file_found === 1,
    };
    const decision = decideAppend(snapshot, input, input.createdAt);
    if (!decision.ok) return { ok: false, error: decision.error };
    if (decision.result.duplicate) return { ok: true, value: { message: decision.result.message, duplicate: true } };
    const { message, arrival } = applyAppendWrites(sql, input.conversationId, decision.writes, version, serializedBody)!;
    if (message.body.type === 'text') texts.push({ arrival, text: message.body.text });
    return { ok: true, value: { message, duplicate: false } };
  });
  for (const { arrival, text } of texts) sql.index.run(arrival, text);
  return settled;
}

/** An entry as appended: the message, and its row's place in arrival order. */
interface Appended {
  message: Message;
  arrival: number;
}

/**
 * Applies an append decision's writes to one conversation; returns the entry appended.
 * `serializedBody` is the appended entry's body as JSON, if the caller has it.
 */
function applyAppendWrites(
  sql: Statements,
  conversationId: string,
  writes: readonly TimelineWrite[],
  version: number,
  serializedBody?: string,
): Appended | null {
  let appended: Appended | null = null;
  const seqOf = (seq: number | null) => seq ?? appended!.message.seq;
  for (const write of writes) {
    switch (write.kind) {
      case 'appendEntry': {
        const { createdAt, senderId } = write.entry;
        const seq = sql.takeSeq.get({ conversationId, createdAt, version })!;
        // The entry is the message: its body is serialized for the row, never parsed back.
        const { lastInsertRowid } = sql.insert.run(entryRow(write.entry, seq, serializedBody));
        sql.advanceOwnRead.run({ conversationId, userId: senderId, seq });
        appended = { message: { ...write.entry, seq }, arrival: Number(lastInsertRowid) };
        break;
      }
      case 'markFileSent':
        sql.markFileSent.run({ fileId: write.fileId, conversationId, now: write.at });
        break;
      case 'rewriteMessage':
        throw new Error('an append rewrites no message');
      case 'markMentioned':
        sql.markMentioned.run({ conversationId, userIds: JSON.stringify(write.userIds), seq: seqOf(write.seq) });
        break;
      case 'markMentionedAll':
        sql.markMentionedAll.run({ conversationId, seq: seqOf(write.seq) });
        break;
    }
  }
  return appended;
}
