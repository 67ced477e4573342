/**
 * The storage contract. The reference server talks to storage only through this
 * interface; SQLite (the embedded default) and PostgreSQL (for several processes)
 * implement it, and both pass the same contract suite (test/server/storage-contract.ts). Groups and invite links are
 * the `groups` area (groups/contract.ts), support and the rest are areas too (area.ts).
 *
 * Every method is atomic: it either applies completely or not at all. User ids given to
 * conversations and messages must belong to users stored with `accounts.write.upsertUser`. `appendMessage`
 * and `markRead` reject with a `not_found` CommandError when the conversation (or the
 * membership) does not exist; any method rejects with `unavailable` when the storage
 * cannot be reached or has been closed.
 *
 * A member who left or was removed keeps their membership row: they still see the
 * conversation, up to the event that ended their membership (its `leftSeq`), and nothing
 * after it. "Member" below means an active member unless said otherwise.
 */
import type {
  Conversation,
  ConversationType,
  Message,
  MessageBody,
  ReplyRef,
} from '../../protocol/index.js';
import type { StorageAreas } from './area.js';
import type { MessageStateStorage } from './message-state-storage.js';

export interface ConversationRecord {
  id: string;
  type: ConversationType;
  memberIds: string[];
  createdBy: string;
  createdAt: number;
  lastSeq: number;
  /** Time of the newest message, or createdAt for an empty conversation. */
  updatedAt: number;
}

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

export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  /** Nothing after this seq exists for the reader (a former member's `leftSeq`). */
  maxSeq?: number;
  limit: number;
}

export interface ReadMark {
  readSeq: number;
  /** Reading implies delivery: at least readSeq. */
  deliveredSeq: number;
  changed: boolean;
}

export interface ConversationChanges {
  /** As `userId` sees them, in ascending order of change. */
  conversations: Conversation[];
  /** Opaque; pass back to get what changed after this call. */
  cursor: string;
  hasMore: boolean;
  /** The given cursor belongs to another storage incarnation; this is a full listing. */
  reset: boolean;
}

export interface Storage
  extends StorageAreas,
    MessageStateStorage {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Returns the single conversation with this id, creating it with both members if it
   * does not exist yet. Idempotent under concurrent calls.
   */
  ensureSingleConversation(input: {
    id: string;
    memberIds: [string, string];
    createdBy: string;
    now: number;
  }): Promise<ConversationRecord>;
  /** `memberIds` are the active members. */
  getConversation(id: string): Promise<ConversationRecord | null>;
  /**
   * The conversation as `userId` sees it (a former group member too, capped at their
   * `leftSeq`), or null if they never belonged to it.
   */
  getConversationView(conversationId: string, userId: string): Promise<Conversation | null>;
  /** Ids of every conversation the user is an active member of. */
  listConversationIds(userId: string): Promise<string[]>;
  /** The active members. */
  listMemberIds(conversationId: string): Promise<string[]>;

  /**
   * In one transaction: dedupe on (senderId, clientId), take the next seq, insert,
   * advance the conversation's lastSeq and the sender's readSeq; a text body's `mentions`
   * move those members' mention seq, `mentionAll` the conversation's. Resolves only after
   * the commit is durable. The caller has checked the sender's rights (muted, roles,
   * mentions) from memory; as a last guard, a sender who is not an active member gets
   * `not_found`, and a dismissed group `group_dismissed`.
   */
  appendMessage(input: AppendMessageInput): Promise<AppendMessageResult>;
  /** The message this sender stored with this clientId, if any. */
  findMessage(senderId: string, clientId: string): Promise<Message | null>;
  /** Ascending by seq whichever direction was asked. */
  getMessages(
    conversationId: string,
    query: HistoryQuery,
  ): Promise<{ messages: Message[]; hasMore: boolean }>;

  /**
   * readSeq := max(readSeq, min(seq, lastSeq)), lastSeq being a former member's leftSeq
   * for them. Returns the resulting readSeq and whether
   * it moved (the server tells the user's other connections only then).
   */
  markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark>;

  /**
   * Conversations of `userId` that changed (new event, own read state, own membership)
   * after `cursor`. A former member's conversation changes only with their own state.
   * A conversation the user has not created and that has no events yet is not listed.
   * A cursor from another storage incarnation, or one that cannot be parsed, gives a
   * full listing with `reset: true`.
   */
  changedConversations(
    userId: string,
    cursor: string | null,
    limit: number,
  ): Promise<ConversationChanges>;
}
