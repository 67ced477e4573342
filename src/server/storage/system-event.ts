/**
 * A system event (a group change, a support case's step) recorded in a conversation's
 * timeline: it takes the next seq from `conversations.last_seq`, as appends do, inside the
 * transaction of the change it records.
 */
import type { Message, SystemEvent } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { systemEventRow, toMessage } from './rows.js';
import type { SqlTransaction } from './sql/sql.js';

const takeSeq = `
  UPDATE conversations SET last_seq = last_seq + 1, updated_at = max(updated_at, $2)
  WHERE id = $1 RETURNING last_seq`;
const insertEvent = `
  INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
  VALUES ($1, $2, $7, $3, $4, 'system', $5, $6)`;
// PostgreSQL takes the seq and stores the event in one round trip.
const takeSeqAndInsert = `
  WITH taken AS (
    UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $6)
    WHERE id = $2 RETURNING last_seq)
  INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
  SELECT $1, $2, last_seq, $3, $4, 'system', $5, $6 FROM taken RETURNING seq`;

/** Records `event` by `senderId` with the conversation's next seq; `not_found` if there is no such conversation. */
export async function recordSystemEvent(
  tx: SqlTransaction,
  at: { conversationId: string; now: number },
  senderId: string,
  event: SystemEvent,
): Promise<Message> {
  const row = systemEventRow(at, 0, senderId, event);
  const values = [row.id, row.conversation_id, row.sender_id, row.client_id, row.body, row.created_at];
  let seq: number | undefined;
  if (tx.dialect === 'postgres') {
    seq = (await tx.row<{ seq: number }>(takeSeqAndInsert, values))?.seq;
  } else {
    // SQLite has no UPDATE inside WITH: two statements, in the same transaction.
    seq = (await tx.row<{ last_seq: number }>(takeSeq, [at.conversationId, at.now]))?.last_seq;
    if (seq !== undefined) await tx.run(insertEvent, [...values, seq]);
  }
  if (seq === undefined) throw new CommandError('not_found', 'no such conversation');
  tx.touchConversation(at.conversationId);
  return toMessage({ ...row, seq });
}
