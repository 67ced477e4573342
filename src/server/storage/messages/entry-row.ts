import type { NewEntry } from '../../messages/append-decision.js';
import type { MessageRow } from '../rows.js';

/**
 * A timeline entry's row once its seq is taken; `type` is its body's, kept in a column of
 * its own for queries. `serializedBody`, if given, is `JSON.stringify(entry.body)`.
 */
export function entryRow(entry: NewEntry, seq: number, serializedBody?: string): MessageRow & { type: string } {
  return {
    id: entry.id,
    conversation_id: entry.conversationId,
    seq,
    sender_id: entry.senderId,
    client_id: entry.clientId,
    type: entry.body.type,
    body: serializedBody ?? JSON.stringify(entry.body),
    created_at: entry.createdAt,
    reply_to: entry.replyTo ? JSON.stringify(entry.replyTo) : null,
    edited_at: null,
  };
}
