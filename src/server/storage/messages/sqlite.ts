/**
 * Appending messages on SQLite: the appends that arrive in one event-loop turn commit as
 * one synchronous transaction (append-batches.ts), on the area's statements (sql.ts) but
 * for the few only a one-by-one append needs. The rest of the area is written once (sql.ts).
 */
import { plainText, type Message } from '../../../protocol/index.js';
import {
  attachedFileId,
  decideAppend,
  type AppendMessageInput,
  type AppendMessageResult,
  type TimelineWrite,
} from '../../messages/append-decision.js';
import { toMessage, type MessageRow } from '../rows.js';
import type { SqlDatabase } from '../sql/sql.js';
import { takeVersion, transactionNow, type SqliteNow } from '../sql/sqlite.js';
import { entryRow, entryValues, insertOnSqlite } from '../timeline.js';
import { storageClosed, type SqliteConnection } from '../sqlite/connection.js';
import type { MessageStorage } from './contract.js';
import { AppendBatches, type Settled } from './append-batches.js';
import {
  advanceOwnRead,
  byClientId,
  markFileSent,
  markMentioned,
  markMentionedAll,
  sqlMessageChange,
  sqlMessageReads,
} from './sql.js';

/** One row whatever exists: each part is null when missing. */
interface AppendSnapshotRow {
  stored_id: string | null;
  conversation_found: number;
  dismissed: number;
  sender_state: string | null;
  file_found: number;
}

// What an append's decision sees, in one statement: it costs what the dedupe lookup alone did.
const appendSnapshot = `
  SELECT s.id AS stored_id, c.id IS NOT NULL AS conversation_found,
    c.dismissed_at IS NOT NULL AS dismissed, m.state AS sender_state,
    $4 IS NOT NULL AND EXISTS (SELECT 1 FROM files WHERE id = $4 AND conversation_id = $1) AS file_found
  FROM (SELECT 1)
  LEFT JOIN messages s ON s.sender_id = $2 AND s.client_id = $3
  LEFT JOIN conversations c ON c.id = $1
  LEFT JOIN conversation_members m ON m.conversation_id = $1 AND m.user_id = $2`;
// Each entry's conversation gets the batch's change version.
const takeSeq = `
  UPDATE conversations SET last_seq = last_seq + 1, updated_at = max(updated_at, $2), version = $3
  WHERE id = $1 RETURNING last_seq`;
// The search index (FTS5, contentless) keys a text by its message's arrival.
const index = 'INSERT INTO message_search (rowid, text) VALUES ($1, $2)';

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
    transactionNow(connection, (now) => appendBatch(now, batch, now.rows<{ value: number }>(takeVersion)[0]!.value)),
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
function appendBatch(now: SqliteNow, inputs: readonly PendingAppend[], version: number): Settled<AppendMessageResult>[] {
  const texts: { arrival: number; text: string }[] = [];
  const settled = inputs.map(({ input, serializedBody }): Settled<AppendMessageResult> => {
    const values = [input.conversationId, input.senderId, input.clientId, attachedFileId(input)];
    const found = now.rows<AppendSnapshotRow>(appendSnapshot, values)[0]!;
    const stored = found.stored_id === null ? null : toMessage(now.rows<MessageRow>(byClientId, [input.senderId, input.clientId])[0]!);
    const snapshot = {
      stored,
      conversation: found.conversation_found === 1 ? { dismissed: found.dismissed === 1 } : null,
      senderActive: found.sender_state === 'active',
      fileFound: found.file_found === 1,
    };
    const decision = decideAppend(snapshot, input, input.createdAt);
    if (!decision.ok) return { ok: false, error: decision.error };
    if (decision.result.duplicate) return { ok: true, value: { message: decision.result.message, duplicate: true } };
    const { message, arrival } = applyAppendWrites(now, input.conversationId, decision.writes, version, serializedBody)!;
    if (message.body.type === 'text') texts.push({ arrival, text: plainText(message.body.text) });
    return { ok: true, value: { message, duplicate: false } };
  });
  for (const { arrival, text } of texts) now.run(index, [arrival, text]);
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
  now: SqliteNow,
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
        const seq = now.rows<{ last_seq: number }>(takeSeq, [conversationId, createdAt, version])[0]!.last_seq;
        // The entry is the message: its body is serialized for the row, never parsed back.
        const { lastInsertRowid } = now.run(insertOnSqlite, [...entryValues(entryRow(write.entry, seq, serializedBody)), seq]);
        now.run(advanceOwnRead, [conversationId, senderId, seq]);
        appended = { message: { ...write.entry, seq }, arrival: Number(lastInsertRowid) };
        break;
      }
      case 'markFileSent':
        now.run(markFileSent, [write.fileId, conversationId, write.at]);
        break;
      case 'rewriteMessage':
        throw new Error('an append rewrites no message');
      case 'markMentioned':
        now.run(markMentioned, [conversationId, write.userIds, seqOf(write.seq)]);
        break;
      case 'markMentionedAll':
        now.run(markMentionedAll, [conversationId, seqOf(write.seq)]);
        break;
    }
  }
  return appended;
}
