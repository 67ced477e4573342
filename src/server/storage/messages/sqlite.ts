/**
 * The messages area on SQLite. Appends that arrive in one event-loop turn commit as one
 * transaction (group-commit.ts); recall and edit run in one transaction each. Both load
 * what their decision needs, decide, and apply its writes.
 */
import type { Message } from '../../../protocol/index.js';
import {
  decideAppend,
  type AppendMessageInput,
  type AppendMessageResult,
  type TimelineWrite,
} from '../../messages/append-decision.js';
import { decideMessageChange, type MessageChangeSnapshot } from '../../messages/change-decisions.js';
import { carryOut } from '../carry-out.js';
import { toMessage } from '../rows.js';
import { storageClosed, translateError, type SqliteConnection } from '../sqlite/connection.js';
import { GroupCommit, type Settled } from '../sqlite/group-commit.js';
import {
  indexMessage,
  prepareSearchIndexStatements,
  reindexMessage,
  unindexMessage,
} from '../search/sqlite-index.js';
import type { MessageStorage } from './contract.js';
import { entryRow } from './entry-row.js';
import { prepareMessageStatements, type MessageStatements } from './sqlite-statements.js';

function prepare(db: Parameters<typeof prepareMessageStatements>[0]) {
  return { ...prepareMessageStatements(db), search: prepareSearchIndexStatements(db) };
}
type Statements = ReturnType<typeof prepare>;

/** An append, with its body as JSON when the caller serialized it already. */
interface PendingAppend {
  input: AppendMessageInput;
  serializedBody?: string;
}

/** The area, and what closing the storage and the worker need of it. */
export interface SqliteMessages extends MessageStorage {
  /** Commits the appends waiting for their batch: their callers are waiting. */
  flushAppends(): void;
  /** `write.append`, with `serializedBody` (`JSON.stringify(input.body)`) stored as it is. */
  appendSerialized(input: AppendMessageInput, serializedBody: string): Promise<AppendMessageResult>;
}

export function sqliteMessages(connection: SqliteConnection): SqliteMessages {
  const appends = new GroupCommit<PendingAppend, AppendMessageResult>((pending) =>
    connection.run(prepare, (sql) => commitAppends(connection, sql, pending)),
  );
  const submit = (append: PendingAppend) =>
    connection.db.open ? appends.submit(append) : Promise.reject(storageClosed());
  const at = (sql: MessageStatements, conversationId: string, seq: number) => {
    const row = sql.at.get(conversationId, seq);
    return row ? toMessage(row) : null;
  };
  return {
    flushAppends: () => appends.flush(),
    appendSerialized: (input, serializedBody) => submit({ input, serializedBody }),
    read: {
      async find(senderId, clientId) {
        return connection.run(prepare, (sql) => {
          const row = sql.byClientId.get(senderId, clientId);
          return row ? toMessage(row) : null;
        });
      },
      async at(conversationId, seq) {
        return connection.run(prepare, (sql) => at(sql, conversationId, seq));
      },
      async history(conversationId, query) {
        return connection.run(prepare, (sql) => {
          const maxSeq = query.maxSeq ?? Number.MAX_SAFE_INTEGER;
          // One row past the page tells whether more exist in that direction.
          const rows =
            query.afterSeq !== undefined
              ? sql.after.all(conversationId, query.afterSeq, maxSeq, query.limit + 1)
              : sql.before.all(
                  conversationId,
                  Math.min(query.beforeSeq ?? Number.MAX_SAFE_INTEGER, maxSeq + 1),
                  query.limit + 1,
                );
          const hasMore = rows.length > query.limit;
          const page = rows.slice(0, query.limit);
          if (query.afterSeq === undefined) page.reverse();
          return { messages: page.map(toMessage), hasMore };
        });
      },
    },
    write: {
      append: (input) => submit({ input }),
      async change(input) {
        return connection.write(prepare, (sql) =>
          carryOut({
            load: (): MessageChangeSnapshot => {
              const stored = sql.byClientId.get(input.actorId, input.clientId);
              if (stored) {
                const event = toMessage(stored);
                const targetSeq = 'targetSeq' in event.body ? event.body.targetSeq : input.seq;
                return { stored: { event, target: at(sql, event.conversationId, targetSeq)! }, conversation: null, actorActive: false, target: null };
              }
              const actor = sql.actor.get(input.actorId, input.conversationId);
              return {
                stored: null,
                conversation: actor ? { dismissed: actor.dismissed === 1 } : null,
                actorActive: actor?.state === 'active',
                target: at(sql, input.conversationId, input.seq),
              };
            },
            decide: (snapshot) => decideMessageChange(snapshot, input, input.createdAt),
            apply: (writes, outcome) => {
              if (outcome.duplicate) return outcome;
              const version = connection.nextVersion();
              const { message: event } = applyTimelineWrites(sql, input.conversationId, writes, version)!;
              return { event, target: at(sql, input.conversationId, input.seq)!, duplicate: false };
            },
          }),
        );
      },
    },
  };
}

/**
 * The whole batch in one transaction, sharing one change version (it commits as one).
 * A refused append takes no seq and leaves the others be; if the transaction fails, each
 * append runs in its own, so the failure stays alone and leaves no gap. Savepoints would
 * isolate it too, but cost two statements per message on the common path.
 */
function commitAppends(
  connection: SqliteConnection,
  sql: Statements,
  inputs: PendingAppend[],
): Settled<AppendMessageResult>[] {
  const appendAll = (batch: PendingAppend[]) =>
    connection.db.transaction(() => appendBatch(sql, batch, connection.nextVersion())).immediate();
  try {
    return appendAll(inputs);
  } catch (error) {
    if (inputs.length === 1) return [{ ok: false, error: translateError(error) }];
  }
  return inputs.map((input): Settled<AppendMessageResult> => {
    try {
      return appendAll([input])[0]!;
    } catch (error) {
      return { ok: false, error: translateError(error) };
    }
  });
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
    const { message, arrival } = applyTimelineWrites(sql, input.conversationId, decision.writes, version, serializedBody)!;
    if (message.body.type === 'text') texts.push({ arrival, text: message.body.text });
    return { ok: true, value: { message, duplicate: false } };
  });
  for (const { arrival, text } of texts) indexMessage(sql.search, arrival, text);
  return settled;
}

/** An entry as appended: the message, and its row's place in arrival order. */
interface Appended {
  message: Message;
  arrival: number;
}

/**
 * Applies a decision's writes to one conversation; returns the entry appended, if any.
 * `serializedBody` is the appended entry's body as JSON, if the caller has it.
 */
function applyTimelineWrites(
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
      case 'rewriteMessage': {
        const { seq, body } = write;
        sql.rewrite.run({ conversationId, seq, body: JSON.stringify(body), type: body.type, editedAt: write.editedAt });
        // The index follows the body: a recalled message is no longer found.
        if (body.type === 'text') reindexMessage(sql.search, conversationId, seq, body.text);
        else unindexMessage(sql.search, conversationId, seq);
        break;
      }
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
