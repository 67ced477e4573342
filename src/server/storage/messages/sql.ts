/**
 * The messages area on either backend, but for appends: timeline reads, and recall and
 * edit, each in one transaction that loads what its decision needs (the conversation's
 * row locked first on PostgreSQL: a recall and an edit of one message never both pass),
 * decides, and applies the writes. Appends are each backend's own (sqlite.ts,
 * postgres.ts): they are batched, as each database commits fastest; SQLite's run the
 * statements written here.
 */
import type { Message } from '../../../protocol/index.js';
import type { TimelineWrite } from '../../messages/append-decision.js';
import { decideMessageChange, type MessageChangeSnapshot } from '../../messages/change-decisions.js';
import { decideReaction } from '../../messages/reaction-decisions.js';
import { carryOut } from '../carry-out.js';
import { messageColumns, toMessage, type MessageRow } from '../rows.js';
import { greatest, inList, lock, onPostgres, sql, type SqlDatabase, type SqlQueryable, type SqlTransaction } from '../sql/sql.js';
import { indexOnSqlite, insertEntry, searchText } from '../timeline.js';
import type { MessageReads, MessageWrites } from './contract.js';

const messageSelect = `SELECT ${messageColumns} FROM messages`;
export const byClientId = `${messageSelect} WHERE sender_id = $1 AND client_id = $2`;
const atSeq = `${messageSelect} WHERE conversation_id = $1 AND seq = $2`;
const pageAfter = `${messageSelect} WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq ASC LIMIT $4`;
const pageBefore = `${messageSelect} WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`;
/** Seqs are PostgreSQL integers: a bound past them reads as "no bound". */
const seqMax = 2 ** 31 - 1;

const lockedConversation = sql`SELECT dismissed_at FROM conversations WHERE id = $1 ${lock()}`;
const lockedMember = sql`SELECT state FROM conversation_members WHERE conversation_id = $1 AND user_id = $2 ${lock()}`;

const rewrite = sql`
  UPDATE messages SET body = $3, type = $4, edited_at = coalesce($5, edited_at)${onPostgres(', search_text = $6')}
  WHERE conversation_id = $1 AND seq = $2`;
const setReactions = 'UPDATE messages SET reactions = $3 WHERE conversation_id = $1 AND seq = $2';
const keepHidden = 'UPDATE conversation_members SET hidden_seq = $2 WHERE conversation_id = $1 AND hidden_seq = $2 - 1';
// Writing an entry means having read (and received) everything before it.
export const advanceOwnRead = sql`
  UPDATE conversation_members
  SET read_seq = ${greatest}(read_seq, $3), delivered_seq = ${greatest}(delivered_seq, $3)
  WHERE conversation_id = $1 AND user_id = $2 AND state = 'active'`;
export const markFileSent = 'UPDATE files SET sent_at = coalesce(sent_at, $3) WHERE id = $1 AND conversation_id = $2';
// Bounded by the mentions limit, whatever the size of the group.
export const markMentioned = sql`
  UPDATE conversation_members SET mention_seq = ${greatest}(mention_seq, $3)
  WHERE conversation_id = $1 AND state = 'active' AND user_id ${inList(2)}`;
export const markMentionedAll = sql`UPDATE conversations SET mention_all_seq = ${greatest}(mention_all_seq, $2) WHERE id = $1`;

async function find(db: SqlQueryable, senderId: string, clientId: string): Promise<Message | null> {
  const row = await db.row<MessageRow>(byClientId, [senderId, clientId]);
  return row ? toMessage(row) : null;
}

async function at(db: SqlQueryable, conversationId: string, seq: number): Promise<Message | null> {
  const row = await db.row<MessageRow>(atSeq, [conversationId, seq]);
  return row ? toMessage(row) : null;
}

export function sqlMessageReads(db: SqlQueryable): MessageReads {
  return {
    find: (senderId, clientId) => find(db, senderId, clientId),
    at: (conversationId, seq) => at(db, conversationId, seq),
    async history(conversationId, query) {
      const maxSeq = Math.min(query.maxSeq ?? seqMax, seqMax);
      // One row past the page tells whether more exist in that direction.
      const rows =
        query.afterSeq !== undefined
          ? await db.rows<MessageRow>(pageAfter, [conversationId, query.afterSeq, maxSeq, query.limit + 1])
          : await db.rows<MessageRow>(pageBefore, [
              conversationId,
              Math.min(query.beforeSeq ?? seqMax, maxSeq + 1),
              query.limit + 1,
            ]);
      const hasMore = rows.length > query.limit;
      const page = rows.slice(0, query.limit);
      if (query.afterSeq === undefined) page.reverse();
      return { messages: page.map(toMessage), hasMore };
    },
  };
}

/** `write.change` (see contract.ts); `write.append` is each backend's own. */
export function sqlMessageChange(db: SqlDatabase): MessageWrites['change'] {
  return (input) =>
    db.transaction((tx) =>
      carryOut({
        load: async (): Promise<MessageChangeSnapshot> => {
          const stored = await find(tx, input.actorId, input.clientId);
          if (stored) {
            const targetSeq = 'targetSeq' in stored.body ? stored.body.targetSeq : input.seq;
            const target = (await at(tx, stored.conversationId, targetSeq))!;
            return { stored: { event: stored, target }, conversation: null, actorActive: false, target: null };
          }
          const conversation = await tx.row<{ dismissed_at: number | null }>(lockedConversation, [input.conversationId]);
          const actor = conversation && (await tx.row<{ state: string }>(lockedMember, [input.conversationId, input.actorId]));
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
          return { event, target: (await at(tx, input.conversationId, input.seq))!, duplicate: false };
        },
      }),
    );
}

/** `write.react` (see contract.ts), in one transaction as a change. */
export function sqlMessageReact(db: SqlDatabase): MessageWrites['react'] {
  return (input) =>
    db.transaction((tx) =>
      carryOut({
        load: async () => {
          const conversation = await tx.row<{ dismissed_at: number | null }>(lockedConversation, [input.conversationId]);
          const actor = conversation && (await tx.row<{ state: string }>(lockedMember, [input.conversationId, input.actorId]));
          return {
            conversation: conversation ? { dismissed: conversation.dismissed_at !== null } : null,
            actorActive: actor?.state === 'active',
            target: await at(tx, input.conversationId, input.seq),
          };
        },
        decide: (snapshot) => decideReaction(snapshot, input, input.createdAt),
        apply: async (writes) => {
          const event = await applyTimelineWrites(tx, input.conversationId, writes);
          return { event, target: (await at(tx, input.conversationId, input.seq))! };
        },
      }),
    );
}

/** A single command's writes to one conversation, in order; returns the entry appended, if any. */
async function applyTimelineWrites(
  tx: SqlTransaction,
  conversationId: string,
  writes: readonly TimelineWrite[],
): Promise<Message | null> {
  let appended: Message | null = null;
  const seqOf = (seq: number | null) => seq ?? appended!.seq;
  for (const write of writes) {
    switch (write.kind) {
      case 'appendEntry': {
        appended = await insertEntry(tx, write.entry);
        await tx.run(advanceOwnRead, [conversationId, appended.senderId, appended.seq]);
        break;
      }
      case 'markFileSent':
        await tx.run(markFileSent, [write.fileId, conversationId, write.at]);
        break;
      case 'rewriteMessage': {
        const { seq, body } = write;
        await tx.run(rewrite, [conversationId, seq, JSON.stringify(body), body.type, write.editedAt, searchText(body)]);
        if (tx.dialect === 'sqlite') await indexOnSqlite(tx, conversationId, seq, body);
        break;
      }
      case 'setReactions': {
        const reactions = write.items && JSON.stringify({ seq: appended!.seq, items: write.items });
        await tx.run(setReactions, [conversationId, write.seq, reactions]);
        break;
      }
      case 'keepHidden':
        await tx.run(keepHidden, [conversationId, appended!.seq]);
        break;
      case 'markMentioned':
        await tx.run(markMentioned, [conversationId, write.userIds, seqOf(write.seq)]);
        break;
      case 'markMentionedAll':
        await tx.run(markMentionedAll, [conversationId, seqOf(write.seq)]);
        break;
    }
  }
  return appended;
}
