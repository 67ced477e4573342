/**
 * Payload schemas: the single source of the wire format. The server validates every
 * inbound payload with them; the TypeScript types below are inferred from them.
 *
 * Browser code imports only types from here (`import type`), so zod stays out of the
 * widget bundle.
 */
import { z } from 'zod';
import { limits } from './limits.js';

// C0 control characters other than tab, line feed and carriage return.
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** A user or conversation id: printable ASCII without spaces, as the host's system issues them. */
export const Id = z
  .string()
  .min(1)
  .max(limits.idLength)
  .regex(/^[\x21-\x7E]+$/, 'must be printable ASCII without spaces');

/** Client-chosen idempotency key of a message (a UUID works). */
export const ClientId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_-]{${limits.clientIdMinLength},${limits.clientIdMaxLength}}$`),
    `must be ${limits.clientIdMinLength}-${limits.clientIdMaxLength} characters of A-Z a-z 0-9 _ -`,
  );

/** Milliseconds since the Unix epoch, as the server's clock saw it. */
export const Timestamp = z.number().int().nonnegative();

export const Seq = z.number().int().nonnegative();

export const HttpUrl = z
  .string()
  .max(limits.urlLength)
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(limits.nameLength)
  .refine((value) => !controlCharacters.test(value), 'must not contain control characters');

export const User = z.object({
  id: Id,
  name: DisplayName,
  avatar: HttpUrl.nullable(),
});

export const TextBody = z.strictObject({
  type: z.literal('text'),
  text: z
    .string()
    .max(limits.textLength, `must be at most ${limits.textLength} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty')
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters'),
});

/** What a message carries; more types (image, file, system events) join this union. */
export const MessageBody = z.discriminatedUnion('type', [TextBody]);

export const Message = z.object({
  /** Server-assigned, unique across the server. */
  id: z.string(),
  conversationId: Id,
  /** Position in the conversation's timeline: 1, 2, 3, … with no gaps. */
  seq: Seq.min(1),
  senderId: Id,
  clientId: ClientId,
  body: MessageBody,
  createdAt: Timestamp,
});

/** A conversation as one member sees it. */
export const SingleConversation = z.object({
  id: Id,
  type: z.literal('single'),
  /** The other person in the chat. */
  peerId: Id,
  /** Seq of the newest event in the timeline; 0 when it is empty. */
  lastSeq: Seq,
  /** The newest seq this member has read. */
  readSeq: Seq,
  /** Messages from others with seq > readSeq, counted when this summary was made. */
  unreadCount: z.number().int().nonnegative(),
  lastMessage: Message.nullable(),
  createdAt: Timestamp,
  /** Time of the newest activity; lists sort by it. */
  updatedAt: Timestamp,
});

export const Conversation = z.discriminatedUnion('type', [SingleConversation]);

// ---- Commands: client -> server payloads and their results ----
// Payloads are strict: an unknown field is rejected rather than silently dropped, so a
// client never believes a server honoured a field it does not know.

export const SendMessagePayload = z.strictObject({
  conversationId: Id,
  clientId: ClientId,
  body: MessageBody,
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
  cursor: z.string().max(128).nullable(),
  limit: z.number().int().min(1).max(limits.syncPageMax).default(limits.syncPageDefault),
});
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

export type User = z.infer<typeof User>;
export type MessageBody = z.infer<typeof MessageBody>;
export type TextBody = z.infer<typeof TextBody>;
export type Message = z.infer<typeof Message>;
export type SingleConversation = z.infer<typeof SingleConversation>;
export type Conversation = z.infer<typeof Conversation>;
export type SendMessagePayload = z.input<typeof SendMessagePayload>;
export type SendMessageResult = z.infer<typeof SendMessageResult>;
export type HistoryPayload = z.input<typeof HistoryPayload>;
export type HistoryResult = z.infer<typeof HistoryResult>;
export type SyncPayload = z.input<typeof SyncPayload>;
export type SyncResult = z.infer<typeof SyncResult>;
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
