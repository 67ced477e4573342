/**
 * The messages area on PostgreSQL: appends are batched per process, the rest is written
 * once (sql.ts). The appends that arrive while a commit is in flight go into the next
 * one, and a batch is one call of `im_append` (postgres/migrations.ts): one statement,
 * one round trip, its own transaction, however many messages, conversations and members
 * it holds. Each append's decision is made twice: before the call, as if the database
 * allowed it, for the writes it would make; after, over what the call read, for its
 * answer. The function applies the writes of those whose snapshot allows them, a
 * condition that repeats the rule's guards (a stored original, the conversation, the
 * sender's membership, the files). Several processes append to one conversation at once:
 * the conversation's row lock orders them, and seqs are taken under it, so they stay gap-free.
 */
import type { MessageBody, ReplyRef } from '../../../protocol/index.js';
import {
  decideAppend,
  type AppendMessageInput,
  type AppendMessageResult,
  type AppendSnapshot,
  type NewEntry,
} from '../../messages/append-decision.js';
import { CommandError } from '../../errors.js';
import type { PgDatabase } from '../postgres/pg-database.js';
import { toMessage, type MessageRow } from '../rows.js';
import { searchText } from '../timeline.js';
import type { MessageStorage } from './contract.js';
import { AppendBatches, type Settled } from './append-batches.js';
import { sqlMessageChange, sqlMessagePlay, sqlMessageReact, sqlMessageReads } from './sql.js';

/** The area, and what closing the storage needs of it. */
export interface PostgresMessages extends MessageStorage {
  /** Waits for every accepted append to settle. */
  drainAppends(): Promise<void>;
}

export function postgresMessages(db: PgDatabase): PostgresMessages {
  // One call in flight at a time per process; past 500 appends wait for the next.
  const appends = new AppendBatches<AppendMessageInput, AppendMessageResult>((batch) => appendAll(db, batch), 500);
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
      play: sqlMessagePlay(db),
    },
  };
}

const keyOf = (senderId: string, clientId: string) => JSON.stringify([senderId, clientId]);

/** What the writes of an append are when nothing stands in its way. */
const allowed: AppendSnapshot = { stored: null, conversation: { dismissed: false }, senderActive: true, fileFound: true };

/** What `im_append` read for one append, and the seq of its entry if it stored one. */
interface Outcome {
  i: number;
  stored: MessageRow | null;
  found: boolean;
  dismissed: boolean;
  active: boolean;
  fileFound: boolean;
  seq: number | null;
}

/** One append as `im_append` takes it: the writes it makes if what the call reads allows them. */
interface PlannedRow {
  i: number;
  id: string;
  conversation_id: string;
  sender_id: string;
  client_id: string;
  type: string;
  body: MessageBody;
  created_at: number;
  reply_to: ReplyRef | null;
  search_text: string | null;
  file_ids: string[];
  mentions: string[] | null;
  mention_all: boolean;
}

/** The writes of the append at `i` should nothing stand in its way, and the entry it would store. */
function plan(i: number, input: AppendMessageInput): { row: PlannedRow; entry: NewEntry } {
  const decision = decideAppend(allowed, input, input.createdAt);
  if (!decision.ok) throw decision.error;
  let entry: NewEntry | undefined;
  const extra = { file_ids: [] as string[], mentions: null as string[] | null, mention_all: false };
  for (const write of decision.writes) {
    if (write.kind === 'appendEntry') entry = write.entry;
    else if (write.kind === 'markFileSent') extra.file_ids.push(write.fileId);
    else if (write.kind === 'markMentioned') extra.mentions = write.userIds;
    else if (write.kind === 'markMentionedAll') extra.mention_all = true;
  }
  if (!entry) throw new Error('an allowed append writes no entry');
  const { id, conversationId, senderId, clientId, body, createdAt, replyTo } = entry;
  const row: PlannedRow = {
    i,
    id,
    conversation_id: conversationId,
    sender_id: senderId,
    client_id: clientId,
    type: body.type,
    body,
    created_at: createdAt,
    reply_to: replyTo ?? null,
    search_text: searchText(body),
    ...extra,
  };
  return { row, entry };
}

async function appendAll(db: PgDatabase, inputs: AppendMessageInput[]): Promise<Settled<AppendMessageResult>[]> {
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
  const entries = new Map<number, NewEntry>();
  const batch = [...firstOf.values()].map((index) => {
    const planned = plan(index, inputs[index]!);
    entries.set(index, planned.entry);
    return planned.row;
  });

  const [answer] = await db.alone<{ outcomes: Outcome[] }>('SELECT im_append($1::json) AS outcomes', [
    JSON.stringify(batch),
  ]);
  for (const outcome of answer!.outcomes) {
    const input = inputs[outcome.i]!;
    if (outcome.seq !== null) {
      results[outcome.i] = { ok: true, value: { message: { ...entries.get(outcome.i)!, seq: outcome.seq }, duplicate: false } };
      continue;
    }
    const snapshot: AppendSnapshot = {
      stored: outcome.stored && toMessage(outcome.stored),
      conversation: outcome.found ? { dismissed: outcome.dismissed } : null,
      senderActive: outcome.active,
      fileFound: outcome.fileFound,
    };
    const decision = decideAppend(snapshot, input, input.createdAt);
    if (!decision.ok) results[outcome.i] = { ok: false, error: decision.error };
    else if (decision.result.duplicate) {
      results[outcome.i] = { ok: true, value: { message: decision.result.message, duplicate: true } };
    } else throw new Error('an append its rule allows was not stored');
  }
  for (const [index, first] of repeats) {
    const original = results[first]!;
    results[index] = original.ok ? { ok: true, value: { ...original.value, duplicate: true } } : original;
  }
  return results as Settled<AppendMessageResult>[];
}
