/**
 * Recall, edit, receipts and member settings on SQLite. Each function runs inside the
 * caller's write transaction (SqliteStorage.#write), or reads outside one.
 */
import { randomUUID } from 'node:crypto';
import type { Conversation, Message, Receipt } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import { reindexMessage, unindexMessage } from './sqlite-search.js';
import { toConversation, toMessage, type Statements } from './statements.js';

/** Bodies a person wrote; everything else in a timeline is an event about something. */
const messageTypes = new Set(['text', 'image', 'file', 'recalled']);

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
  const moderated = change.type === 'recall' && change.moderated === true;
  if (!target || (moderated ? target.sender_id !== actorId : !actor || actor.state !== 'active')) {
    throw new CommandError('not_found', 'no such message');
  }
  if (!messageTypes.has(target.type)) {
    throw new CommandError('forbidden', 'only messages can be recalled or edited, not events');
  }
  const own = target.sender_id === actorId;
  if (change.type === 'recall') {
    if (target.type === 'recalled') throw new CommandError('not_editable', 'the message was already recalled');
    if (!change.privileged && !moderated) {
      if (!own) throw new CommandError('forbidden', "only the sender or a group's admins may recall it");
      if (input.createdAt - target.created_at > change.windowMs) {
        throw new CommandError(
          'recall_window_passed',
          `messages can be recalled within ${Math.round(change.windowMs / 60_000)} minutes of sending`,
        );
      }
    }
  } else {
    if (!own) throw new CommandError('forbidden', 'only the sender may edit a message');
    if (target.type !== 'text') throw new CommandError('not_editable', 'only text messages can be edited');
  }

  const taken = sql.takeSeq.get({ conversationId, createdAt: input.createdAt, version });
  if (!taken) throw new CommandError('group_dismissed', 'the group was dismissed');
  const eventBody =
    change.type === 'recall'
      ? { type: 'recall' as const, targetSeq: seq, ...(moderated ? { moderated: true as const } : {}) }
      : { type: 'edit' as const, targetSeq: seq, text: change.text };
  const eventRow = {
    id: randomUUID(),
    conversation_id: conversationId,
    seq: taken.last_seq,
    sender_id: actorId,
    client_id: input.clientId,
    body: JSON.stringify(eventBody),
    created_at: input.createdAt,
    reply_to: null,
    edited_at: null,
  };
  sql.insertMessage.run({ ...eventRow, type: eventBody.type });
  sql.advanceOwnRead.run({ conversationId, userId: actorId, seq: eventRow.seq });

  if (change.type === 'recall') {
    const body = { type: 'recalled', by: actorId, ...(moderated ? { moderated: true } : {}) };
    sql.rewriteMessage.run({ conversationId, seq, body: JSON.stringify(body), type: 'recalled', editedAt: null });
    unindexMessage(sql, conversationId, seq);
  } else {
    const { text } = change;
    sql.rewriteMessage.run({ conversationId, seq, body: JSON.stringify(text), type: 'text', editedAt: input.createdAt });
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
  const readSeq = member.read_seq;
  const target = Math.min(seq, member.last_seq);
  if (target <= member.delivered_seq) return { deliveredSeq: member.delivered_seq, readSeq, changed: false };
  sql.setDeliveredSeq.run({ conversationId, userId, seq: target });
  return { deliveredSeq: target, readSeq, changed: true };
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
  const pinnedAt = changes.pinned === undefined ? current.pinned_at : changes.pinned ? (current.pinned_at ?? now) : null;
  const flag = (value: boolean | undefined, previous: number) => (value === undefined ? previous : value ? 1 : 0);
  const hiddenSeq = changes.hidden === undefined ? current.hidden_seq : changes.hidden ? current.last_seq : null;
  sql.setMemberSettings.run({
    conversationId,
    userId,
    pinnedAt,
    notificationsMuted: flag(changes.notificationsMuted, current.notifications_muted),
    hiddenSeq,
    markedUnread: flag(changes.markedUnread, current.marked_unread),
    version: input.version,
  });
  return toConversation(sql.conversationView.get(conversationId, userId)!);
}
