import { randomUUID } from 'node:crypto';
import type { Message, SystemEvent } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { systemClientId } from '../../groups/ids.js';
import { toMessage } from '../rows.js';
import type { Statements } from './statements.js';

/**
 * Appends a system event with the conversation's next seq, inside the caller's write
 * transaction; the sender is who made the change.
 */
export function recordSystemEvent(
  sql: Statements,
  input: { conversationId: string; senderId: string; event: SystemEvent; now: number; version: number },
): Message {
  const taken = sql.takeEventSeq.get({
    conversationId: input.conversationId,
    createdAt: input.now,
    version: input.version,
  });
  if (!taken) throw new CommandError('not_found', 'no such conversation');
  const row = {
    id: randomUUID(),
    conversation_id: input.conversationId,
    seq: taken.last_seq,
    sender_id: input.senderId,
    client_id: systemClientId(),
    body: JSON.stringify({ type: 'system', event: input.event }),
    created_at: input.now,
    reply_to: null,
    edited_at: null,
  };
  sql.insertMessage.run({ ...row, type: 'system' });
  return toMessage(row);
}
