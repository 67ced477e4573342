/**
 * Recall, edit, receipts and member settings on SQLite. Each function runs inside the
 * caller's write transaction (SqliteStorage.#write), or reads outside one.
 */
import type { Conversation, Message, Receipt } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import {
  actorMayChange,
  changeEvent,
  deliveryMark,
  nextMemberSettings,
  requireChangeAllowed,
  rewrittenTarget,
} from '../message-change-rules.js';
import { toConversation, toMessage } from '../rows.js';
import { reindexMessage, unindexMessage } from '../search/sqlite-index.js';
import type { Statements } from './statements.js';

export function getMessage(sql: Statements, conversationId: string, seq: number): Message | null {
  const row = sql.messageAt.get(conversationId, seq);
  return row ? toMessage(row) : null;
}

export function changeMessage(sql: Statements, input: MessageChangeInput, version: number): MessageChangeResult {
  const { conversationId, actorId, seq, change } = input;
  const existing = sql.messageByClientId.get(actorId, input.clientId);
  if (existing) {
    const event = toMessage(existing);
    const targetSeq = 'targetSeq' in event.body ? event.body.targetSeq : seq;
    return { event, target: getMessage(sql, event.conversationId, targetSeq)!, duplicate: true };
  }
  const actor = sql.memberState.get(conversationId, actorId);
  const target = sql.messageAt.get(conversationId, seq);
  if (!actorMayChange(target, actor, input)) {
    throw new CommandError('not_found', 'no such message');
  }
  requireChangeAllowed(target, input);

  const taken = sql.takeSeq.get({ conversationId, createdAt: input.createdAt, version });
  if (!taken) throw new CommandError('group_dismissed', 'the group was dismissed');
  const { row: eventRow, type } = changeEvent(input, taken.last_seq);
  sql.insertMessage.run({ ...eventRow, type });
  sql.advanceOwnRead.run({ conversationId, userId: actorId, seq: eventRow.seq });

  sql.rewriteMessage.run({ conversationId, seq, ...rewrittenTarget(input) });
  if (change.type === 'recall') {
    unindexMessage(sql, conversationId, seq);
  } else {
    const { text } = change;
    reindexMessage(sql, conversationId, seq, text.text);
    if (text.mentions?.length) {
      sql.markMentioned.run({ conversationId, userIds: JSON.stringify(text.mentions), seq });
    }
    if (text.mentionAll) sql.markMentionedAll.run({ conversationId, seq });
  }
  return { event: toMessage(eventRow), target: getMessage(sql, conversationId, seq)!, duplicate: false };
}

export function markDelivered(
  sql: Statements,
  conversationId: string,
  userId: string,
  seq: number,
): { deliveredSeq: number; readSeq: number; changed: boolean } {
  const member = sql.memberState.get(conversationId, userId);
  if (!member) throw new CommandError('not_found', 'no such conversation member');
  const mark = deliveryMark(member, seq);
  if (mark.changed) sql.setDeliveredSeq.run({ conversationId, userId, seq: mark.deliveredSeq });
  return mark;
}

export function listReceipts(sql: Statements, conversationId: string): Receipt[] {
  return sql.receipts.all(conversationId).map((receipt) => ({ conversationId, ...receipt }));
}

export function countReaders(
  sql: Statements,
  conversationId: string,
  input: { seq: number; senderId: string; limit: number },
): ReadersCount {
  const counts = sql.readerCounts.get({ conversationId, seq: input.seq, senderId: input.senderId })!;
  return {
    readCount: counts.read_count,
    readerIds: sql.readers.all({ conversationId, ...input }),
    audience: counts.audience,
  };
}

export function updateMemberSettings(
  sql: Statements,
  input: { conversationId: string; userId: string; changes: MemberSettingsChanges; now: number; version: number },
): Conversation {
  const { conversationId, userId, changes, now } = input;
  const current = sql.memberState.get(conversationId, userId);
  if (!current) throw new CommandError('not_found', 'no such conversation');
  sql.setMemberSettings.run({
    conversationId,
    userId,
    ...nextMemberSettings(current, changes, now),
    version: input.version,
  });
  return toConversation(sql.conversationView.get(conversationId, userId)!);
}
