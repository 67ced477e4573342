/**
 * The messages area of storage: appending messages, reading timelines, and the changes
 * made to messages after they are sent (recall, edit). Every write resolves only once
 * its commit is durable.
 */
import type { Message } from '../../../protocol/index.js';
import type { AppendMessageInput, AppendMessageResult } from '../../messages/append-decision.js';
import type { MessageChangeInput, MessageChangeResult } from '../../messages/change-decisions.js';
import type { ReactionInput } from '../../messages/reaction-decisions.js';
import type { PlayInput, PlayOutcome } from '../../messages/play-decisions.js';
import type { StorageArea } from '../area.js';

export interface HistoryQuery {
  beforeSeq?: number | undefined;
  afterSeq?: number | undefined;
  /** Nothing after this seq exists for the reader (a former member's `leftSeq`). */
  maxSeq?: number | undefined;
  limit: number;
  /**
   * Whose page it is: their voice messages carry `playedCount`, others' `played` once they
   * played them. Absent (the host's view): neither.
   */
  viewerId?: string | undefined;
}

/** Who has played a voice message, most recent first. */
export interface VoicePlayers {
  /** Everyone but the sender who has played it. */
  playedCount: number;
  players: { userId: string; playedAt: number }[];
}

export interface MessageReads {
  /** The message this sender stored with this clientId, if any. */
  find(senderId: string, clientId: string): Promise<Message | null>;
  /** The timeline entry at `seq`, or null. */
  at(conversationId: string, seq: number): Promise<Message | null>;
  /** A page, ascending by seq whichever direction was asked. */
  history(conversationId: string, query: HistoryQuery): Promise<{ messages: Message[]; hasMore: boolean }>;
  /** Who has played the voice message at `seq`, the most recent `limit` of them. */
  players(conversationId: string, seq: number, limit: number): Promise<VoicePlayers>;
}

export interface MessageWrites {
  /**
   * Dedupe on (senderId, clientId), take the next seq, store, advance the sender's read
   * position and the mentions (messages/append-decision.ts). Appends that arrive
   * together commit together. The caller has checked the sender's rights from memory; a
   * sender who is not an active member gets `not_found`, a dismissed group `group_dismissed`.
   */
  append(input: AppendMessageInput): Promise<AppendMessageResult>;
  /**
   * A recall or an edit (messages/change-decisions.ts): dedupe on (actorId, clientId),
   * the rules, the event with the next seq, the target rewritten with its search entry.
   */
  change(input: MessageChangeInput): Promise<MessageChangeResult>;
  /**
   * Puts an emoji on a message or takes it back (messages/reaction-decisions.ts): the
   * event with the next seq and the target's reactions, or nothing (`event` null) when it
   * is already so.
   */
  react(input: ReactionInput): Promise<{ target: Message; event: Message | null }>;
  /**
   * Records that a member started playing a voice message (messages/play-decisions.ts),
   * once: a play already recorded, or the sender's own, changes nothing. A recorded play
   * lists the conversation in the next sync of the player and of the sender, with the
   * message's play state (ConversationChanges.plays).
   */
  play(input: PlayInput): Promise<PlayOutcome>;
}

export type MessageStorage = StorageArea<MessageReads, MessageWrites>;
