/**
 * What happens to messages after they are sent (recall, edit), how far members got
 * (delivered and read positions), and each member's own settings of a conversation.
 * Part of the storage contract (storage.ts).
 */
import type { Conversation, Message, Receipt, TextBody } from '../../protocol/index.js';

/** A recall or an edit: a timeline event of its own, applied to the target in the same transaction. */
export interface MessageChangeInput {
  conversationId: string;
  /** Who acts; must be an active member. */
  actorId: string;
  /** The event's idempotency key (unique per actor, like a message's). */
  clientId: string;
  /** The target message's seq. */
  seq: number;
  createdAt: number;
  change:
    | {
        type: 'recall';
        /** A group owner or admin: may recall anyone's message at any time. */
        privileged: boolean;
        /** The sender's own recall must come within this long of sending. */
        windowMs: number;
        /**
         * The host removes the message through the admin API: the actor is its sender,
         * who need not be a member any more; no window applies. Both the event and the
         * recalled body say `moderated`.
         */
        moderated?: boolean;
      }
    | { type: 'edit'; text: TextBody };
}

export interface MessageChangeResult {
  event: Message;
  /** The target as it is after the change (or now, for a duplicate). */
  target: Message;
  /** The (actorId, clientId) pair was used before: nothing changed now. */
  duplicate: boolean;
}

export interface ReadersCount {
  readCount: number;
  readerIds: string[];
  /** Active members other than the sender. */
  audience: number;
}

export interface MemberSettingsChanges {
  pinned?: boolean;
  notificationsMuted?: boolean;
  hidden?: boolean;
  markedUnread?: boolean;
}

export interface MessageStateStorage {
  /** The timeline entry at `seq`, or null. */
  getMessage(conversationId: string, seq: number): Promise<Message | null>;
  /**
   * In one transaction: dedupe on (actorId, clientId), check the target and the rules,
   * take the next seq for the event, rewrite the target (recalled body / new text and
   * `editedAt`) and its search index entry. Rejects with `not_found` (no such message,
   * or the actor is not an active member), `forbidden` (a system event or another
   * person's message), `recall_window_passed`, or `not_editable` (not text, or recalled).
   */
  changeMessage(input: MessageChangeInput): Promise<MessageChangeResult>;
  /**
   * deliveredSeq := max(deliveredSeq, min(seq, visible lastSeq)); reading also moves it.
   * `changed` says whether it moved. `not_found` for a non-member.
   */
  markDelivered(
    conversationId: string,
    userId: string,
    seq: number,
  ): Promise<{ deliveredSeq: number; readSeq: number; changed: boolean }>;
  /** Every active member's delivered and read position. */
  listReceipts(conversationId: string): Promise<Receipt[]>;
  /** Active members other than `senderId` whose readSeq reached `seq`; up to `limit` ids. */
  countReaders(
    conversationId: string,
    input: { seq: number; senderId: string; limit: number },
  ): Promise<ReadersCount>;
  /**
   * Applies the member's own settings and makes the conversation part of their next
   * sync. Hiding lasts until a newer event arrives. `not_found` if they never belonged.
   */
  updateMemberSettings(
    conversationId: string,
    userId: string,
    changes: MemberSettingsChanges,
    now: number,
  ): Promise<Conversation>;
}
