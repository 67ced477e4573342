/**
 * Commands and events about messages after they were sent (recall, edit), how far others
 * got (receipts), who is around (typing, presence), a member's own conversation settings,
 * and search.
 */
import { z } from 'zod';
import { limits } from '../limits.js';
import { Conversation } from './conversations.js';
import { reactionEmoji } from '../bodies.js';
import { Message, TextBody } from './messages.js';
import { ClientId, controlCharacters, Id, Seq, Timestamp, User } from './primitives.js';

/** A recall or edit is a timeline event, so it carries an idempotency key like a message. */
const TargetedPayload = {
  conversationId: Id,
  /** The event's idempotency key: a retry after a lost ack does not act twice. */
  clientId: ClientId,
  /** The message acted on. */
  seq: Seq.min(1),
};

export const RecallPayload = z.strictObject(TargetedPayload);

export const EditPayload = z.strictObject({
  ...TargetedPayload,
  /** The new text, with its mentions; replaces the old one whole. */
  text: TextBody,
});

/**
 * Put an emoji on a message (`on: true`) or take it back. Asking for what is already so
 * changes nothing and appends no event, so a retry is harmless without an idempotency key.
 */
export const ReactPayload = z.strictObject({
  conversationId: Id,
  seq: Seq.min(1),
  /** Exactly one emoji; stored with canonical variation selectors ("❤" is "❤️"). */
  emoji: z
    .string()
    .max(limits.reactionEmojiLength)
    .transform((value, context) => {
      const emoji = reactionEmoji(value);
      if (emoji === null) context.addIssue({ code: 'custom', message: 'must be exactly one emoji' });
      return emoji ?? value;
    })
    .describe('Exactly one emoji: one RGI_Emoji sequence; variation selectors are made canonical.'),
  on: z.boolean(),
});

/** The target with its reactions as they are now, and the event appended (null: nothing changed). */
export const ReactResult = z.object({
  target: Message,
  event: Message.nullable(),
});

/** The event appended to the timeline, and the target as it is now. */
export const MessageChangeResult = z.object({
  event: Message,
  target: Message,
  duplicate: z.boolean(),
});

export const DeliveredPayload = z.strictObject({
  conversationId: Id,
  /** Everything up to this seq reached one of the member's devices. Clamped to lastSeq. */
  seq: Seq,
});
export const DeliveredResult = z.object({ deliveredSeq: Seq });

/** How far one member got: reached a device (delivered), seen (read). */
export const Receipt = z.object({
  conversationId: Id,
  userId: Id,
  deliveredSeq: Seq,
  readSeq: Seq,
});

export const ConversationPayload = z.strictObject({ conversationId: Id });
export const ReceiptsResult = z.object({
  /** Every active member's receipt; empty for groups larger than `limits.receiptsMembersMax`. */
  receipts: z.array(Receipt),
});

export const ReadersPayload = z.strictObject({
  conversationId: Id,
  seq: Seq.min(1),
  limit: z.number().int().min(1).max(limits.membersPageMax).default(limits.membersPageDefault),
});
export const ReadersResult = z.object({
  /** Active members other than the sender who have read the message. */
  readCount: z.number().int().nonnegative(),
  /** Some of them, by id (up to `limit`). */
  readerIds: z.array(Id),
  /** Active members other than the sender. */
  audience: z.number().int().nonnegative(),
});

/**
 * The caller started playing a voice message of someone else's. Recording it again
 * changes nothing, so a retry needs no idempotency key.
 */
export const PlayedPayload = z.strictObject({
  conversationId: Id,
  /** The voice message. */
  seq: Seq.min(1),
});
export const PlayedResult = z.object({
  /** The play was recorded now; false when it already was, or the message is the caller's own (never recorded). */
  changed: z.boolean(),
});

/**
 * A member played a voice message, for the first time: to the player's other connections
 * and to every connection of the message's sender; nobody else's (a group's other members
 * never hear of it).
 */
export const VoicePlayedEvent = z.object({
  conversationId: Id,
  seq: Seq.min(1),
  /** Who played it. */
  userId: Id,
  /** Members other than the sender who have played it now, this one included. */
  playedCount: z.number().int().min(1),
  playedAt: Timestamp,
});

/**
 * A voice message whose played state changed for the caller since the sync's cursor:
 * they played it (on another device), or, for their own message, others did.
 */
export const PlayState = z.object({
  conversationId: Id,
  seq: Seq.min(1),
  /** The caller has played it (never for their own message). */
  played: z.boolean(),
  /** The caller's own message: members other than them who have played it; 0 otherwise. */
  playedCount: z.number().int().nonnegative(),
});

export const PlayersPayload = z.strictObject({
  conversationId: Id,
  seq: Seq.min(1),
  limit: z.number().int().min(1).max(limits.membersPageMax).default(limits.membersPageDefault),
});
export const PlayersResult = z.object({
  /** Everyone other than the sender who has played it. */
  playedCount: z.number().int().nonnegative(),
  /** The most recent of them first, up to `limit`. */
  players: z.array(z.object({ userId: Id, playedAt: Timestamp })),
  /** Their profiles. */
  users: z.array(User),
});

export const TypingEvent = z.object({
  conversationId: Id,
  userId: Id,
  /**
   * Show the indicator this long unless another event renews it or a message arrives;
   * 0 when the typist stopped (emptied the composer): hide it now.
   */
  ttlMs: z.number().int().nonnegative(),
});

export const PresenceWatchPayload = z.strictObject({
  /** Replaces this connection's watch list. Only people who share a conversation with you count. */
  userIds: z.array(Id).max(limits.presenceWatchMax),
});
export const Presence = z.object({
  userId: Id,
  online: z.boolean(),
  /** When they were last connected; null if never, or while online. */
  lastSeenAt: Timestamp.nullable(),
});
export const PresenceWatchResult = z.object({ presence: z.array(Presence) });

export const ConversationSettingsPayload = z.strictObject({
  conversationId: Id,
  pinned: z.boolean().optional(),
  notificationsMuted: z.boolean().optional(),
  hidden: z.boolean().optional(),
  markedUnread: z.boolean().optional(),
});
export const ConversationResult = z.object({ conversation: Conversation });

export const MessageSearchPayload = z.strictObject({
  /** Words or part of a word (3 characters or more match anywhere in a word). */
  query: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(limits.messageSearchLength)
    // No message text holds them; a NUL would also end the phrase the index is asked for.
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters'),
  /** Only this conversation; omit for all of the user's conversations. */
  conversationId: Id.optional(),
  /** From the previous page's result. */
  cursor: z.string().max(128).optional(),
  limit: z.number().int().min(1).max(limits.messageSearchResultsMax).default(20),
});
export const MessageSearchResult = z.object({
  /** Newest first. Only messages the user may see (a former member: up to their leaving). */
  messages: z.array(Message),
  /** Profiles of their senders, who may be people the client has not met yet. */
  users: z.array(User),
  /**
   * Pass back for the next page; null when there is none. A server may bound the work of
   * one call, so a page can hold fewer than `limit` messages (even none) and still go on.
   */
  cursor: z.string().nullable(),
});

export type RecallPayload = z.input<typeof RecallPayload>;
export type EditPayload = z.input<typeof EditPayload>;
export type MessageChangeResult = z.infer<typeof MessageChangeResult>;
export type ReactPayload = z.input<typeof ReactPayload>;
export type ReactResult = z.infer<typeof ReactResult>;
export type DeliveredPayload = z.input<typeof DeliveredPayload>;
export type DeliveredResult = z.infer<typeof DeliveredResult>;
export type Receipt = z.infer<typeof Receipt>;
export type ConversationPayload = z.input<typeof ConversationPayload>;
export type ReceiptsResult = z.infer<typeof ReceiptsResult>;
export type ReadersPayload = z.input<typeof ReadersPayload>;
export type ReadersResult = z.infer<typeof ReadersResult>;
export type PlayedPayload = z.input<typeof PlayedPayload>;
export type PlayedResult = z.infer<typeof PlayedResult>;
export type VoicePlayedEvent = z.infer<typeof VoicePlayedEvent>;
export type PlayState = z.infer<typeof PlayState>;
export type PlayersPayload = z.input<typeof PlayersPayload>;
export type PlayersResult = z.infer<typeof PlayersResult>;
export type TypingEvent = z.infer<typeof TypingEvent>;
export type PresenceWatchPayload = z.input<typeof PresenceWatchPayload>;
export type Presence = z.infer<typeof Presence>;
export type PresenceWatchResult = z.infer<typeof PresenceWatchResult>;
export type ConversationSettingsPayload = z.input<typeof ConversationSettingsPayload>;
export type ConversationResult = z.infer<typeof ConversationResult>;
export type MessageSearchPayload = z.input<typeof MessageSearchPayload>;
export type MessageSearchResult = z.infer<typeof MessageSearchResult>;
