/**
 * The last guard of an append, decided over what the storage read for it inside the
 * transaction that stores it. Who may post what (mutes, `@all`, mentions of members) was
 * decided from memory before (groups/posting.ts); here: a retry gets its original, a
 * dismissed group, a conversation the sender is not an active member of, or a file that
 * expired meanwhile refuses, and a new message is stored with its mentions.
 */
import { randomUUID } from 'node:crypto';
import { filesOf } from '../../protocol/bodies.js';
import type { Message, MessageBody, Reaction, ReplyRef } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';

export interface AppendMessageInput {
  conversationId: string;
  senderId: string;
  clientId: string;
  body: MessageBody;
  createdAt: number;
  /** The quoted message, resolved by the caller from the same conversation. */
  replyTo?: ReplyRef;
}

export interface AppendMessageResult {
  message: Message;
  /** The (senderId, clientId) pair was stored before: `message` is that original. */
  duplicate: boolean;
}

/** What an append's rule needs to see. */
export interface AppendSnapshot {
  /** What this sender stored with this clientId before, if anything. */
  stored: Message | null;
  /** null: there is no such conversation. */
  conversation: { dismissed: boolean } | null;
  senderActive: boolean;
  /** Only asked for a body that carries files: every one's record is still there. */
  fileFound: boolean;
}

/** A timeline entry before it has its seq, which the storage takes when it stores it. */
export type NewEntry = Omit<Message, 'seq'>;

/**
 * What an append or a message change writes, in this order. The entry takes the
 * conversation's next seq, and its author has read (and received) everything up to it.
 * A mention's `seq` null means the seq of the entry this command appends.
 */
export type TimelineWrite =
  | { kind: 'appendEntry'; entry: NewEntry }
  | { kind: 'markFileSent'; fileId: string; at: number }
  | { kind: 'rewriteMessage'; seq: number; body: MessageBody; editedAt: number | null }
  /** The message at `seq` has these reactions as of the entry this command appends; null: none. */
  | { kind: 'setReactions'; seq: number; items: Reaction[] | null }
  /** Members who hid the conversation with nothing after keep it hidden past the entry appended. */
  | { kind: 'keepHidden' }
  | { kind: 'markMentioned'; seq: number | null; userIds: string[] }
  | { kind: 'markMentionedAll'; seq: number | null };

/** A duplicate is answered with its original; a new message's seq is known once it is stored. */
export type AppendOutcome = { duplicate: true; message: Message } | { duplicate: false };

export function decideAppend(
  snapshot: AppendSnapshot,
  input: AppendMessageInput,
  now: number,
): Decision<TimelineWrite, AppendOutcome> {
  if (snapshot.stored) return allow([], { duplicate: true, message: snapshot.stored });
  if (snapshot.conversation?.dismissed) return refuse('group_dismissed', 'the group was dismissed');
  if (!snapshot.conversation || !snapshot.senderActive) return refuse('not_found', 'no such conversation');
  const { body } = input;
  const writes: TimelineWrite[] = [];
  const fileIds = attachedFileIds(input);
  if (fileIds.length > 0) {
    if (!snapshot.fileFound) return refuse('not_found', 'no such file');
    for (const fileId of fileIds) writes.push({ kind: 'markFileSent', fileId, at: now });
  }
  writes.push({ kind: 'appendEntry', entry: newEntry(input, now) });
  if (body.type === 'text') writes.push(...mentionWrites(body, null));
  return allow(writes, { duplicate: false });
}

/** The files a message carries (a history may carry many): its snapshot says whether all are in the conversation. */
export function attachedFileIds(input: AppendMessageInput): string[] {
  return [...new Set(filesOf(input.body).map((file) => file.id))];
}

function newEntry(input: AppendMessageInput, now: number): NewEntry {
  const entry: NewEntry = {
    id: randomUUID(),
    conversationId: input.conversationId,
    senderId: input.senderId,
    clientId: input.clientId,
    body: input.body,
    createdAt: now,
  };
  if (input.replyTo) entry.replyTo = input.replyTo;
  return entry;
}

/** A text's mentions move those members' mention seq, `@all` the conversation's. */
export function mentionWrites(text: { mentions?: string[]; mentionAll?: boolean }, seq: number | null): TimelineWrite[] {
  const writes: TimelineWrite[] = [];
  if (text.mentions?.length) writes.push({ kind: 'markMentioned', seq, userIds: text.mentions });
  if (text.mentionAll) writes.push({ kind: 'markMentionedAll', seq });
  return writes;
}
