/** The commands every conversation has, and the server's own events about them. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { Conversation } from './conversations.js';
import { PlayState } from './actions.js';
import { Message, OutgoingBody } from './messages.js';
import { ClientId, Id, Seq, Timestamp, User } from './primitives.js';

// ---- Commands: client -> server payloads and their results ----
// Payloads are strict: an unknown field is rejected rather than silently dropped, so a
// client never believes a server honoured a field it does not know.

export const SendMessagePayload = z.strictObject({
  conversationId: Id,
  clientId: ClientId,
  body: OutgoingBody,
  /** Reply to the message with this seq in the same conversation. */
  replyToSeq: Seq.min(1).optional(),
});
export const SendMessageResult = z.object({
  message: Message,
  /** True when this clientId was already stored: `message` is the original. */
  duplicate: z.boolean(),
});

export const HistoryPayload = z
  .strictObject({
    conversationId: Id,
    /** Messages with seq < beforeSeq, newest first page; omit for the latest. */
    beforeSeq: Seq.min(1).optional(),
    /** Messages with seq > afterSeq, oldest first page. */
    afterSeq: Seq.optional(),
    limit: z.number().int().min(1).max(limits.historyPageMax).default(limits.historyPageDefault),
  })
  .refine((payload) => payload.beforeSeq === undefined || payload.afterSeq === undefined, {
    message: 'give beforeSeq or afterSeq, not both',
  });
export const HistoryResult = z.object({
  /** Always in ascending seq order. */
  messages: z.array(Message),
  /** More messages exist in the direction that was asked for. */
  hasMore: z.boolean(),
});

export const SyncPayload = z.strictObject({
  /** From the previous sync result; null for a first, full sync. */
  cursor: z.string().max(512).nullable(),
  limit: z.number().int().min(1).max(limits.syncPageMax).default(limits.syncPageDefault),
});
/**
 * The server may have failed to deliver some `message:new`s to this connection (its
 * link to its other processes broke): catch up as after a reconnect (`conversation:sync`
 * with the last cursor, then the history of what moved). No fields yet; ignore unknown ones.
 */
export const SyncRequired = z.object({});
export const SyncResult = z.object({
  /** Conversations that changed after `cursor`, oldest change first. */
  conversations: z.array(Conversation),
  /** Profiles of the people in those conversations. */
  users: z.array(User),
  /** Pass to the next sync. */
  cursor: z.string(),
  /** More changed conversations wait: sync again at once with the new cursor. */
  hasMore: z.boolean(),
  /**
   * The cursor came from another incarnation of the server's storage (e.g. it was
   * restored or wiped): this is a full sync, and the client must drop cached data that
   * it does not list.
   */
  reset: z.boolean(),
  /**
   * Voice messages of the conversations listed here whose played state changed for the
   * caller after `cursor` (13.12); left out of a first or reset sync, whose history pages
   * carry the state. Absent: none.
   */
  plays: z.array(PlayState).optional(),
});

export const StartConversationPayload = z.strictObject({
  /** The other person; a single chat with oneself is not allowed. */
  userId: Id,
});
export const StartConversationResult = z.object({
  conversation: Conversation,
  users: z.array(User),
});

export const ReadPayload = z.strictObject({
  conversationId: Id,
  /** Everything up to and including this seq has been read. Clamped to lastSeq. */
  seq: Seq,
});
export const ReadResult = z.object({
  /** The member's read position after the update; it never moves backwards. */
  readSeq: Seq,
});

export const UserSearchPayload = z.strictObject({
  /** Matched against names and ids, case-insensitively; empty lists everyone. */
  query: z.string().max(limits.searchQueryLength),
  limit: z.number().int().min(1).max(limits.searchResultsMax).default(limits.searchResultsMax),
});
export const UserSearchResult = z.object({
  users: z.array(User),
});

export const AuthRefreshPayload = z.strictObject({
  token: z.string().min(1).max(8192),
});
export const AuthRefreshResult = z.object({
  /** When the new token expires (ms since epoch), or null if it does not. */
  expiresAt: Timestamp.nullable(),
});

// ---- Server -> client events ----

export const Session = z.object({
  user: User,
  serverTime: Timestamp,
  expiresAt: Timestamp.nullable(),
  /**
   * Anonymous support visitors this user signed in from (`support:claim`): messages they
   * sent are this user's own. Absent or empty for most.
   */
  aliases: z.array(Id).optional(),
});

export const ReadState = z.object({
  conversationId: Id,
  userId: Id,
  readSeq: Seq,
});

/** The handshake's `auth` object. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(8192),
});

export type SendMessagePayload = z.input<typeof SendMessagePayload>;
export type SendMessageResult = z.infer<typeof SendMessageResult>;
export type HistoryPayload = z.input<typeof HistoryPayload>;
export type HistoryResult = z.infer<typeof HistoryResult>;
export type SyncPayload = z.input<typeof SyncPayload>;
export type SyncResult = z.infer<typeof SyncResult>;
export type SyncRequired = z.infer<typeof SyncRequired>;
export type StartConversationPayload = z.input<typeof StartConversationPayload>;
export type StartConversationResult = z.infer<typeof StartConversationResult>;
export type ReadPayload = z.input<typeof ReadPayload>;
export type ReadResult = z.infer<typeof ReadResult>;
export type UserSearchPayload = z.input<typeof UserSearchPayload>;
export type UserSearchResult = z.infer<typeof UserSearchResult>;
export type AuthRefreshPayload = z.input<typeof AuthRefreshPayload>;
export type AuthRefreshResult = z.infer<typeof AuthRefreshResult>;
export type Session = z.infer<typeof Session>;
export type ReadState = z.infer<typeof ReadState>;
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;
