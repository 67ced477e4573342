/**
 * Appending messages on PostgreSQL: the appends that arrive while a commit is in flight
 * go into the next one, and a batch costs a fixed number of statements however many
 * messages, conversations and members it holds. Several processes append to one
 * conversation at once: the conversation's row lock orders them, and seqs are taken
 * under it, so they stay gap-free.
 */
import { randomUUID } from 'node:crypto';
import { CommandError } from '../../errors.js';
import { toMessage, type MessageRow } from '../rows.js';
import type { AppendMessageInput, AppendMessageResult } from '../storage.js';
import { fold, messageSelect } from './pg-conversations.js';
import type { PgDatabase, PgTransaction } from './pg-database.js';

type Settled = { ok: true; value: AppendMessageResult } | { ok: false; error: unknown };

interface Pending {
  input: AppendMessageInput;
  resolve(value: AppendMessageResult): void;
  reject(error: unknown): void;
}

/** Past this many, appends wait for the next transaction. */
const batchMax = 500;

/**
 * One transaction in flight at a time per process; each takes everything submitted
 * meanwhile. `drain()` waits for all accepted appends to settle (before closing).
 */
export class AppendQueue {
  #pending: Pending[] = [];
  #running: Promise<void> | null = null;

  constructor(private readonly db: PgDatabase) {}

  submit(input: AppendMessageInput): Promise<AppendMessageResult> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // Let the appends of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, batchMax);
      const results = await commitBatch(this.db, batch.map((item) => item.input));
      batch.forEach((item, index) => {
        const result = results[index]!;
        if (result.ok) item.resolve(result.value);
        else item.reject(result.error);
      });
    }
    this.#running = null;
  }
}

/**
 * The whole batch in one transaction. If it fails as a whole (a concurrent retry of the
 * same clientId on another process, say), each append runs in its own, so a failure
 * stays alone; refusals (no such conversation, not a member) never abort the batch.
 */
async function commitBatch(db: PgDatabase, inputs: AppendMessageInput[]): Promise<Settled[]> {
  try {
    return await db.transaction((tx) => appendAll(tx, inputs));
  } catch (error) {
    if (inputs.length === 1) return [{ ok: false, error }];
  }
  return Promise.all(
    inputs.map(async (input): Promise<Settled> => {
      try {
        return (await db.transaction((tx) => appendAll(tx, [input])))[0]!;
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
}

interface Fresh {
  index: number;
  input: AppendMessageInput;
  row?: MessageRow & { type: string; search_text: string | null };
}

async function appendAll(tx: PgTransaction, inputs: AppendMessageInput[]): Promise<Settled[]> {
  const results: (Settled | undefined)[] = new Array(inputs.length);
  // A clientId sent twice in one batch: the later ones are answered like the first.
  const firstOf = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  inputs.forEach((input, index) => {
    const key = JSON.stringify([input.senderId, input.clientId]);
    const first = firstOf.get(key);
    if (first === undefined) firstOf.set(key, index);
    else repeats.push([index, first]);
  });
  const unique = [...firstOf.values()].map((index) => ({ index, input: inputs[index]! }));

  const stored = await tx.rows<MessageRow>(
    `${messageSelect} WHERE (sender_id, client_id) IN
       (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [unique.map((item) => item.input.senderId), unique.map((item) => item.input.clientId)],
  );
  const storedByKey = new Map(stored.map((row) => [JSON.stringify([row.sender_id, row.client_id]), row]));
  const fresh: Fresh[] = [];
  for (const item of unique) {
    const original = storedByKey.get(JSON.stringify([item.input.senderId, item.input.clientId]));
    if (original) results[item.index] = { ok: true, value: { message: toMessage(original), duplicate: true } };
    else fresh.push(item);
  }

  const accepted = await acceptable(tx, fresh, results);
  if (accepted.length > 0) await insertAll(tx, accepted);
  for (const item of accepted) {
    results[item.index] = { ok: true, value: { message: toMessage(item.row!), duplicate: false } };
  }
  for (const [index, first] of repeats) {
    const original = results[first]!;
    results[index] = original.ok ? { ok: true, value: { ...original.value, duplicate: true } } : original;
  }
  return results as Settled[];
}

/**
 * Locks the conversations (in id order, as every transaction that locks several does)
 * and keeps the appends whose conversation exists, runs, and has the sender as an active
 * member; the others are refused before any seq is taken, so they leave no gap.
 */
async function acceptable(
  tx: PgTransaction,
  fresh: Fresh[],
  results: (Settled | undefined)[],
): Promise<Fresh[]> {
  if (fresh.length === 0) return [];
  const conversationIds = [...new Set(fresh.map((item) => item.input.conversationId))];
  const conversations = await tx.rows<{ id: string; dismissed_at: number | null }>(
    `SELECT id, dismissed_at FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    [conversationIds],
  );
  const dismissed = new Map(conversations.map((row) => [row.id, row.dismissed_at !== null]));
  const members = await tx.rows<{ conversation_id: string; user_id: string }>(
    `SELECT conversation_id, user_id FROM conversation_members
     WHERE (conversation_id, user_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
       AND state = 'active'`,
    [fresh.map((item) => item.input.conversationId), fresh.map((item) => item.input.senderId)],
  );
  const active = new Set(members.map((row) => JSON.stringify([row.conversation_id, row.user_id])));
  const attached = await markFilesSent(tx, fresh);
  return fresh.filter((item) => {
    const { conversationId, senderId } = item.input;
    const refusal =
      dismissed.get(conversationId) === true
        ? new CommandError('group_dismissed', 'the group was dismissed')
        : !dismissed.has(conversationId) || !active.has(JSON.stringify([conversationId, senderId]))
          ? new CommandError('not_found', 'no such conversation')
          : attached.get(item) === false
            ? new CommandError('not_found', 'no such file')
            : null;
    if (refusal) results[item.index] = { ok: false, error: refusal };
    return refusal === null;
  });
}

/**
 * Marks the files the messages carry as sent, and tells for each message with a file
 * whether its record is still there. The row lock this takes orders it with an expiry
 * of unsent files (`removeUnsentFiles`): marked first, the file is no longer unsent;
 * removed first, the message is refused and points at no missing bytes. A message whose
 * conversation is then refused leaves its file marked: harmless, it was the sender's own.
 */
async function markFilesSent(tx: PgTransaction, fresh: Fresh[]): Promise<Map<Fresh, boolean>> {
  const withFile = fresh.filter(({ input }) => input.body.type === 'image' || input.body.type === 'file');
  if (withFile.length === 0) return new Map();
  const fileOf = (item: Fresh) => (item.input.body as { file: { id: string } }).file.id;
  const marked = await tx.rows<{ id: string; conversation_id: string }>(
    `UPDATE files f SET sent_at = coalesce(f.sent_at, sent.at)
     FROM (SELECT id, conversation_id, min(at) AS at
           FROM unnest($1::text[], $2::text[], $3::bigint[]) AS s (id, conversation_id, at)
           GROUP BY id, conversation_id) AS sent
     WHERE f.id = sent.id AND f.conversation_id = sent.conversation_id
     RETURNING f.id, f.conversation_id`,
    [withFile.map(fileOf), withFile.map((item) => item.input.conversationId), withFile.map((item) => item.input.createdAt)],
  );
  const found = new Set(marked.map((row) => JSON.stringify([row.id, row.conversation_id])));
  return new Map(withFile.map((item) => [item, found.has(JSON.stringify([fileOf(item), item.input.conversationId]))]));
}

/**
 * Takes the seqs of each conversation in one statement, then inserts the messages, moves
 * the senders' read positions and the mentions, each in one statement for the batch.
 */
async function insertAll(tx: PgTransaction, accepted: Fresh[]): Promise<void> {
  const perConversation = new Map<string, Fresh[]>();
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
    list.forEach((item, offset) => (item.row = messageRow(item.input, last_seq - list.length + 1 + offset)));
    tx.touchConversation(id);
  }
  const rows = accepted.map((item) => item.row!);
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at,
       reply_to, search_text)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::bigint[], $9::text[], $10::text[])`,
    [
      rows.map((row) => row.id),
      rows.map((row) => row.conversation_id),
      rows.map((row) => row.seq),
      rows.map((row) => row.sender_id),
      rows.map((row) => row.client_id),
      rows.map((row) => row.type),
      rows.map((row) => row.body),
      rows.map((row) => row.created_at),
      rows.map((row) => row.reply_to),
      rows.map((row) => row.search_text),
    ],
  );
  await advance(tx, 'read', rows.map((row) => [row.conversation_id, row.sender_id, row.seq]));
  const mentions = accepted.flatMap(({ input, row }) =>
    input.body.type === 'text'
      ? (input.body.mentions ?? []).map((userId): Position => [row!.conversation_id, userId, row!.seq])
      : [],
  );
  if (mentions.length > 0) await advance(tx, 'mention', mentions);
  const mentionAll = accepted.filter(({ input }) => input.body.type === 'text' && input.body.mentionAll);
  if (mentionAll.length > 0) {
    await tx.run(
      `UPDATE conversations c SET mention_all_seq = greatest(c.mention_all_seq, mention.seq)
       FROM (SELECT id, max(seq) AS seq FROM unnest($1::text[], $2::int[]) AS m (id, seq) GROUP BY id)
         AS mention
       WHERE c.id = mention.id`,
      [mentionAll.map((item) => item.row!.conversation_id), mentionAll.map((item) => item.row!.seq)],
    );
  }
}

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
  // Sending means having read (and received) everything before.
  read: advanceSql(`read_seq = greatest(m.read_seq, position.seq),
    delivered_seq = greatest(m.delivered_seq, position.seq)`),
  // Bounded by the mentions limit, whatever the size of the group.
  mention: advanceSql('mention_seq = greatest(m.mention_seq, position.seq)'),
};

async function advance(tx: PgTransaction, what: 'read' | 'mention', positions: Position[]): Promise<void> {
  await tx.run(advanceStatements[what], [
    positions.map((position) => position[0]),
    positions.map((position) => position[1]),
    positions.map((position) => position[2]),
  ]);
}

function messageRow(input: AppendMessageInput, seq: number): Fresh['row'] & object {
  const { body } = input;
  return {
    id: randomUUID(),
    conversation_id: input.conversationId,
    seq,
    sender_id: input.senderId,
    client_id: input.clientId,
    type: body.type,
    body: JSON.stringify(body),
    created_at: input.createdAt,
    reply_to: input.replyTo ? JSON.stringify(input.replyTo) : null,
    edited_at: null,
    search_text: body.type === 'text' ? fold(body.text) : null,
  };
}
