/**
 * Appending messages on SQLite: the appends that arrive in one event-loop turn commit as
 * one synchronous transaction (append-batches.ts), on the area's statements (sql.ts) but
 * for the few only a one-by-one append needs. The rest of the area is written once (sql.ts).
 */
import { plainText, type Message } from '../../../protocol/index.js';
import { attachedFileIds, decideAppend, type AppendMessageInput, type AppendMessageResult } from '../../messages/append-decision.js';
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
  sqlMessagePlay,
  sqlMessageReact,
  sqlMessageReads,
} from './sql.js';

/** One row whatever exists: each part is null when missing (`last_seq`: no conversation). */
interface AppendSnapshotRow {
  stored_id: string | null;
  last_seq: number | null;
  dismissed: number;
  sender_state: string | null;
}

// What an append's decision sees, in one statement; a file is looked up only when one is attached.
const appendSnapshot = `
  SELECT s.id AS stored_id, c.last_seq, c.dismissed_at IS NOT NULL AS dismissed, m.state AS sender_state
  FROM (SELECT 1)
  LEFT JOIN messages s ON s.sender_id = $2 AND s.client_id = $3
  LEFT JOIN conversations c ON c.id = $1
  LEFT JOIN conversation_members m ON m.conversation_id = $1 AND m.user_id = $2`;
const fileInConversation = 'SELECT 1 FROM files WHERE id = $1 AND conversation_id = $2';
// Once per conversation per batch: its last seq taken, and the batch's change version.
const advanceConversation = `
  UPDATE conversations SET last_seq = $2, updated_at = max(updated_at, $3), version = $4 WHERE id = $1`;
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
    transactionNow(connection, (now) => {
      const version = now.rows<{ value: number }>(takeVersion)[0]!.value;
      return appendBatch({ now, version, conversations: new Map(), texts: [] }, batch);
    }),
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
      react: sqlMessageReact(db),
      play: sqlMessagePlay(db),
    },
  };
}

/**
 * A batch inside its transaction. Each message is decided and stored in turn, its seq
 * counted on from its conversation's `last_seq` (the transaction holds the write lock, so
 * nothing else takes one meanwhile); what many messages of the batch share is written
 * once at the end: each conversation's last seq and change version, each sender's read
 * position, then the search index of the new texts. The index comes last because FTS5
 * writes out the terms it holds in memory whenever a statement of the transaction opens
 * a savepoint: indexed between messages, each text became a segment of its own.
 */
function appendBatch(batch: Batch, inputs: readonly PendingAppend[]): Settled<AppendMessageResult>[] {
  const { now, version } = batch;
  const settled = inputs.map((pending) => appendOne(batch, pending));
  for (const [conversationId, { seq, at, senders }] of batch.conversations) {
    now.run(advanceConversation, [conversationId, seq, at, version]);
    for (const [senderId, read] of senders) now.run(advanceOwnRead, [conversationId, senderId, read]);
  }
  for (const text of batch.texts) now.run(index, text);
  return settled;
}

/** A batch in its transaction, and what its messages write together once all are stored. */
interface Batch {
  now: SqliteNow;
  /** The batch's change version (it commits as one). */
  version: number;
  /** Per conversation: the last seq taken, the newest message's time, and the seq each sender has read up to. */
  conversations: Map<string, { seq: number; at: number; senders: Map<string, number> }>;
  /** The new texts, by their message's arrival. */
  texts: [arrival: number, text: string][];
}

function appendOne(batch: Batch, { input, serializedBody }: PendingAppend): Settled<AppendMessageResult> {
  const { now } = batch;
  const { conversationId, senderId, clientId } = input;
  const found = now.rows<AppendSnapshotRow>(appendSnapshot, [conversationId, senderId, clientId])[0]!;
  const fileIds = attachedFileIds(input);
  // Each message is inserted as it is decided: a retry later in the same batch finds it too.
  const snapshot = {
    stored: found.stored_id === null ? null : toMessage(now.rows<MessageRow>(byClientId, [senderId, clientId])[0]!),
    conversation: found.last_seq === null ? null : { dismissed: found.dismissed === 1 },
    senderActive: found.sender_state === 'active',
    fileFound: fileIds.every((fileId) => now.rows(fileInConversation, [fileId, conversationId]).length > 0),
  };
  const decision = decideAppend(snapshot, input, input.createdAt);
  if (!decision.ok) return { ok: false, error: decision.error };
  if (decision.result.duplicate) return { ok: true, value: { message: decision.result.message, duplicate: true } };
  let message: Message | undefined;
  for (const write of decision.writes) {
    switch (write.kind) {
      case 'appendEntry': {
        const { entry } = write;
        let taken = batch.conversations.get(conversationId);
        if (taken === undefined) batch.conversations.set(conversationId, (taken = { seq: found.last_seq!, at: 0, senders: new Map() }));
        const seq = ++taken.seq;
        taken.at = Math.max(taken.at, entry.createdAt);
        taken.senders.set(senderId, seq);
        // The entry is the message: its body is serialized for the row, never parsed back.
        const { lastInsertRowid } = now.run(insertOnSqlite, [...entryValues(entryRow(entry, seq, serializedBody)), seq]);
        message = { ...entry, seq };
        if (entry.body.type === 'text') batch.texts.push([Number(lastInsertRowid), plainText(entry.body.text)]);
        break;
      }
      case 'markFileSent':
        now.run(markFileSent, [write.fileId, conversationId, write.at]);
        break;
      case 'rewriteMessage':
        throw new Error('an append rewrites no message');
      case 'markMentioned':
        now.run(markMentioned, [conversationId, write.userIds, write.seq ?? message!.seq]);
        break;
      case 'markMentionedAll':
        now.run(markMentionedAll, [conversationId, write.seq ?? message!.seq]);
        break;
    }
  }
  return { ok: true, value: { message: message!, duplicate: false } };
}
