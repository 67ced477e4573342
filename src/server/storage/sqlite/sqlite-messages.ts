import { randomUUID } from 'node:crypto';
import { CommandError } from '../../errors.js';
import type { AppendMessageInput, AppendMessageResult } from '../storage.js';
import { indexMessage } from '../search/sqlite-index.js';
import { toMessage } from '../rows.js';
import type { Statements } from './statements.js';

/**
 * A group-commit batch, inside its transaction: each message, then the search index of
 * the new texts. The index comes last because FTS5 writes out the terms it holds in
 * memory whenever a statement of the transaction opens a savepoint (an UPDATE …
 * RETURNING does): indexed between messages, each text became a segment of its own, which
 * cost more than all the rest of an append; indexed together, the batch is one segment.
 */
export function appendBatch(
  sql: Statements,
  inputs: readonly AppendMessageInput[],
  version: number,
): AppendMessageResult[] {
  const results = inputs.map((input) => appendOne(sql, input, version));
  for (const { message, duplicate } of results) {
    if (!duplicate && message.body.type === 'text') {
      indexMessage(sql, message.conversationId, message.seq, message.body.text);
    }
  }
  return results;
}

/**
 * One message of a batch: dedupe, next seq, insert, the sender's read position (which is
 * also the guard that they are still an active member), mentions.
 */
function appendOne(
  sql: Statements,
  input: AppendMessageInput,
  version: number,
): AppendMessageResult {
  const existing = sql.messageByClientId.get(input.senderId, input.clientId);
  if (existing) return { message: toMessage(existing), duplicate: true };
  const { conversationId, body } = input;
  const taken = sql.takeSeq.get({ conversationId, createdAt: input.createdAt, version });
  if (!taken) {
    if (sql.group.get(conversationId)?.dismissed_at != null) {
      throw new CommandError('group_dismissed', 'the group was dismissed');
    }
    throw new CommandError('not_found', 'no such conversation');
  }
  if (body.type === 'image' || body.type === 'file') {
    const marked = sql.markFileSent.run({ fileId: body.file.id, conversationId, now: input.createdAt });
    if (marked.changes === 0) throw new CommandError('not_found', 'no such file');
  }
  const row = {
    id: randomUUID(),
    conversation_id: conversationId,
    seq: taken.last_seq,
    sender_id: input.senderId,
    client_id: input.clientId,
    body: JSON.stringify(body),
    created_at: input.createdAt,
    reply_to: input.replyTo ? JSON.stringify(input.replyTo) : null,
    edited_at: null,
  };
  sql.insertMessage.run({ ...row, type: body.type });
  const own = sql.advanceOwnRead.run({ conversationId, userId: input.senderId, seq: row.seq });
  if (own.changes === 0) throw new CommandError('not_found', 'no such conversation');
  // Bounded by the mentions limit, whatever the size of the group.
  if (body.type === 'text' && body.mentions?.length) {
    const userIds = JSON.stringify(body.mentions);
    sql.markMentioned.run({ conversationId, userIds, seq: row.seq });
  }
  if (body.type === 'text' && body.mentionAll) {
    sql.markMentionedAll.run({ conversationId, seq: row.seq });
  }
  return { message: toMessage(row), duplicate: false };
}
