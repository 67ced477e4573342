/**
 * The conversations area of storage: single conversations, each conversation as one
 * member sees it, the sync listing of what changed, and each member's own settings.
 * A member who left or was removed keeps their membership row: they still see the
 * conversation up to the event that ended their membership, and nothing after it.
 */
import type { Conversation, ConversationType, PlayState } from '../../../protocol/index.js';
import type { MemberSettingsChanges, StartSingleInput } from '../../conversations/decisions.js';
import type { StorageArea } from '../area.js';

export interface ConversationRecord {
  id: string;
  type: ConversationType;
  /** The active members. */
  memberIds: string[];
  createdBy: string;
  createdAt: number;
  lastSeq: number;
  /** Time of the newest message, or createdAt for an empty conversation. */
  updatedAt: number;
}

export interface ConversationChanges {
  /** As the user sees them, in ascending order of change. */
  conversations: Conversation[];
  /** Opaque; pass back to get what changed after this call. */
  cursor: string;
  hasMore: boolean;
  /** The given cursor belongs to another storage incarnation; this is a full listing. */
  reset: boolean;
  /**
   * Voice messages of the conversations listed whose play state changed for the user
   * after `cursor`: their own play, or others' of the user's own messages. Empty for a
   * full listing (history carries the state then).
   */
  plays: PlayState[];
}

export interface ConversationReads {
  get(id: string): Promise<ConversationRecord | null>;
  /**
   * The conversation as `userId` sees it (a former group member too, capped at their
   * `leftSeq`), or null if they never belonged to it.
   */
  view(conversationId: string, userId: string): Promise<Conversation | null>;
  /** Ids of every conversation the user is an active member of. */
  idsOf(userId: string): Promise<string[]>;
  /** The active members. */
  memberIds(conversationId: string): Promise<string[]>;
  /**
   * Conversations of `userId` that changed (new event, own read state, own membership)
   * after `cursor`. A former member's conversation changes only with their own state.
   * A conversation the user has not created and that has no events yet is not listed.
   * A cursor from another storage incarnation, or one that cannot be parsed, gives a
   * full listing with `reset: true`.
   */
  changes(userId: string, cursor: string | null, limit: number): Promise<ConversationChanges>;
}

export interface ConversationWrites {
  /** The single conversation with this id, made with both members if need be; idempotent under concurrent calls. */
  ensureSingle(input: StartSingleInput & { now: number }): Promise<ConversationRecord>;
  /**
   * Applies the member's own settings and makes the conversation part of their next
   * sync. Hiding lasts until a newer event arrives. `not_found` if they never belonged.
   */
  updateSettings(
    conversationId: string,
    userId: string,
    changes: MemberSettingsChanges,
    now: number,
  ): Promise<Conversation>;
}

export type ConversationStorage = StorageArea<ConversationReads, ConversationWrites>;
