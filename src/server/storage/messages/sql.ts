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
import { decidePlay } from '../../messages/play-decisions.js';
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

// The message's row is locked: two plays of one message count one after the other.
const lockedTarget = sql`${atSeq} ${lock()}`;
const playsOf = `
  SELECT count(*) AS played_count, count(CASE WHEN user_id = $3 THEN 1 END) AS mine
  FROM voice_plays WHERE conversation_id = $1 AND seq = $2`;
const recordPlay = `
  INSERT INTO voice_plays (conversation_id, seq, user_id, played_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (conversation_id, seq, user_id) DO NOTHING`;
const pagePlays = sql`
  SELECT seq, count(*) AS played_count, count(CASE WHEN user_id = $2 THEN 1 END) AS mine
  FROM voice_plays WHERE conversation_id = $1 AND seq ${inList(3, 'bigint')} GROUP BY seq`;
const players = `
  SELECT user_id, played_at, count(*) OVER () AS played_count FROM voice_plays
  WHERE conversation_id = $1 AND seq = $2 ORDER BY played_at DESC, user_id LIMIT $3`;

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
      const messages = page.map(toMessage);
      return { messages: query.viewerId === undefined ? messages : await withPlays(db, query.viewerId, messages), hasMore };
    },
    async players(conversationId, seq, limit) {
      const rows = await db.rows<{ user_id: string; played_at: number; played_count: number }>(players, [
        conversationId,
        seq,
        limit,
      ]);
      const playedCount = rows.length > 0 ? Number(rows[0]!.played_count) : 0;
      return { playedCount, players: rows.map((row) => ({ userId: row.user_id, playedAt: Number(row.played_at) })) };
    },
  };
}

/** The page's voice messages with their play state as `viewerId` sees it (HistoryQuery.viewerId). */
async function withPlays(db: SqlQueryable, viewerId: string, messages: Message[]): Promise<Message[]> {
  const voices = messages.filter((message) => message.body.type === 'voice');
  if (voices.length === 0) return messages;
  const rows = await db.rows<{ seq: number; played_count: number; mine: number }>(pagePlays, [
    voices[0]!.conversationId,
    viewerId,
    voices.map((message) => message.seq),
  ]);
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row]));
  return messages.map((message) => {
    const row = bySeq.get(message.seq);
    if (!row || message.body.type !== 'voice') return message;
    if (message.senderId === viewerId) return { ...message, playedCount: Number(row.played_count) };
    return Number(row.mine) > 0 ? { ...message, played: true } : message;
  });
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

/** `write.play` (see contract.ts): the message's row locked, the rule, the play recorded. */
export function sqlMessagePlay(db: SqlDatabase): MessageWrites['play'] {
  return (input) =>
    db.transaction((tx) =>
      carryOut({
        load: async () => {
          const { conversationId, seq, actorId } = input;
          const row = await tx.row<MessageRow>(lockedTarget, [conversationId, seq]);
          const actor = row && (await tx.row<{ state: string }>(lockedMember, [conversationId, actorId]));
          const plays = row && (await tx.row<{ played_count: number; mine: number }>(playsOf, [conversationId, seq, actorId]));
          return {
            target: row ? toMessage(row) : null,
            actorActive: actor?.state === 'active',
            alreadyPlayed: Number(plays?.mine ?? 0) > 0,
            playedCount: Number(plays?.played_count ?? 0),
          };
        },
        decide: (snapshot) => decidePlay(snapshot, input),
        apply: async (writes, outcome) => {
          for (const write of writes) {
            if (write.kind !== 'recordPlay') continue;
            const { conversationId, seq, actorId } = input;
            await tx.run(recordPlay, [conversationId, seq, actorId, input.playedAt]);
            tx.touchPlay(conversationId, seq, actorId);
            tx.touchMember(conversationId, actorId);
            tx.touchMember(conversationId, outcome.senderId);
          }
          return outcome;
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
