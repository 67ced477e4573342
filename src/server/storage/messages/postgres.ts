/**
 * The messages area on PostgreSQL. Appends are batched per process (postgres-appends.ts);
 * a recall or an edit runs in one transaction that loads what its decision needs (the
 * conversation's row locked first: a recall and an edit of one message never both pass),
 * decides, and applies the writes.
 */
import type { Message } from '../../../protocol/index.js';
import type { TimelineWrite } from '../../messages/append-decision.js';
import { decideMessageChange, type MessageChangeSnapshot } from '../../messages/change-decisions.js';
import { CommandError } from '../../errors.js';
import { carryOutAsync } from '../carry-out.js';
import { fold } from '../postgres/fold.js';
import type { PgDatabase, PgTransaction, Queryable } from '../postgres/pg-database.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import type { MessageStorage } from './contract.js';
import { AppendQueue } from './postgres-appends.js';
import { advance, insertEntries, markMentionedAll, searchableRow, type EntryRow } from './postgres-timeline.js';

const messageSelect = `SELECT ${messageColumns} FROM messages`;

/** The area, and what closing the storage needs of it. */
export interface PostgresMessages extends MessageStorage {
  /** Waits for every accepted append to settle. */
  drainAppends(): Promise<void>;
}

export function postgresMessages(db: PgDatabase): PostgresMessages {
  const appends = new AppendQueue(db);
  return {
    drainAppends: () => appends.drain(),
    read: {
      find: (senderId, clientId) => find(db, senderId, clientId),
      at: (conversationId, seq) => at(db, conversationId, seq),
      async history(conversationId, query) {
        const maxSeq = query.maxSeq ?? Number.MAX_SAFE_INTEGER;
        // One row past the page tells whether more exist in that direction.
        const rows =
          query.afterSeq !== undefined
            ? await db.rows<MessageRow>(
                `${messageSelect} WHERE conversation_id = $1 AND seq > $2 AND seq <= $3
                 ORDER BY seq ASC LIMIT $4`,
                [conversationId, query.afterSeq, Math.min(maxSeq, 2 ** 31 - 1), query.limit + 1],
              )
            : await db.rows<MessageRow>(
                `${messageSelect} WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
                [
                  conversationId,
                  Math.min(query.beforeSeq ?? Number.MAX_SAFE_INTEGER, maxSeq + 1, 2 ** 31 - 1),
                  query.limit + 1,
                ],
              );
        const hasMore = rows.length > query.limit;
        const page = rows.slice(0, query.limit);
        if (query.afterSeq === undefined) page.reverse();
        return { messages: page.map(toMessage), hasMore };
      },
    },
    write: {
      async append(input) {
        if (db.closed) throw new CommandError('unavailable', 'storage is closed');
        return appends.submit(input);
      },
      change: (input) =>
        db.transaction((tx) =>
          carryOutAsync({
            load: async (): Promise<MessageChangeSnapshot> => {
              const stored = await find(tx, input.actorId, input.clientId);
              if (stored) {
                const targetSeq = 'targetSeq' in stored.body ? stored.body.targetSeq : input.seq;
                const target = (await at(tx, stored.conversationId, targetSeq))!;
                return { stored: { event: stored, target }, conversation: null, actorActive: false, target: null };
              }
              const conversation = await tx.row<{ dismissed_at: number | null }>(
                'SELECT dismissed_at FROM conversations WHERE id = $1 FOR UPDATE',
                [input.conversationId],
              );
              const actor =
                conversation &&
                (await tx.row<{ state: string }>(
                  `SELECT state FROM conversation_members WHERE conversation_id = $1 AND user_id = $2 FOR UPDATE`,
                  [input.conversationId, input.actorId],
                ));
              return {
                stored: null,
                conversation: conversation ? { dismissed: conversation.dismissed_at !== null } : null,
                actorActive: actor?.state === 'active',
                target: await at(tx, input.conversationId, input.seq),
              };
            },
            decide: (snapshot) => decideMessageChange(snapshot, input, input.createdAt),
            apply: async (writes, outcome) => {
              if (outcome.duplicate) return outcome;
              const event = (await applyTimelineWrites(tx, input.conversationId, writes))!;
              return { event: toMessage(event), target: (await at(tx, input.conversationId, input.seq))!, duplicate: false };
            },
          }),
        ),
    },
  };
}

async function find(db: Queryable, senderId: string, clientId: string): Promise<Message | null> {
  const row = await db.row<MessageRow>(`${messageSelect} WHERE sender_id = $1 AND client_id = $2`, [senderId, clientId]);
  return row ? toMessage(row) : null;
}

async function at(db: Queryable, conversationId: string, seq: number): Promise<Message | null> {
  const row = await db.row<MessageRow>(`${messageSelect} WHERE conversation_id = $1 AND seq = $2`, [conversationId, seq]);
  return row ? toMessage(row) : null;
}

/** A single command's writes to one conversation, in order; returns the entry appended, if any. */
async function applyTimelineWrites(
  tx: PgTransaction,
  conversationId: string,
  writes: readonly TimelineWrite[],
): Promise<EntryRow | null> {
  let appended: EntryRow | null = null;
  const seqOf = (seq: number | null) => seq ?? appended!.seq;
  for (const write of writes) {
    switch (write.kind) {
      case 'appendEntry': {
        const taken = (await tx.row<{ last_seq: number }>(
          `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
           WHERE id = $1 RETURNING last_seq`,
          [conversationId, write.entry.createdAt],
        ))!;
        tx.touchConversation(conversationId);
        appended = searchableRow(write.entry, taken.last_seq);
        await insertEntries(tx, [appended]);
        await advance(tx, 'read', [[conversationId, appended.sender_id, appended.seq]]);
        break;
      }
      case 'markFileSent':
        await tx.run(`UPDATE files SET sent_at = coalesce(sent_at, $3) WHERE id = $1 AND conversation_id = $2`, [
          write.fileId,
          conversationId,
          write.at,
        ]);
        break;
      case 'rewriteMessage': {
        const { body } = write;
        // The search text follows the body: a recalled message is no longer found.
        await tx.run(
          `UPDATE messages SET body = $3, type = $4, edited_at = coalesce($5, edited_at), search_text = $6
           WHERE conversation_id = $1 AND seq = $2`,
          [conversationId, write.seq, JSON.stringify(body), body.type, write.editedAt, body.type === 'text' ? fold(body.text) : null],
        );
        break;
      }
      case 'markMentioned':
        await advance(tx, 'mention', write.userIds.map((userId) => [conversationId, userId, seqOf(write.seq)]));
        break;
      case 'markMentionedAll':
        await markMentionedAll(tx, [[conversationId, seqOf(write.seq)]]);
        break;
    }
  }
  return appended;
}
