/**
 * The storage contract. The reference server talks to storage only through this
 * interface; SQLite implements it now, PostgreSQL later, and both must pass the same
 * contract suite (test/server/storage-contract.ts).
 *
 * Every method is atomic: it either applies completely or not at all. User ids given to
 * conversations and messages must belong to users stored with `upsertUser`. `appendMessage`
 * and `markRead` reject with a `not_found` CommandError when the conversation (or the
 * membership) does not exist; any method rejects with `unavailable` when the storage
 * cannot be reached or has been closed.
 */
import type { Conversation, Message, MessageBody, User } from '../../protocol/index.js';

export interface ConversationRecord {
  id: string;
  type: 'single';
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
}

export interface AppendMessageResult {
  message: Message;
  /** The (senderId, clientId) pair was stored before: `message` is that original. */
  duplicate: boolean;
}

export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}

export interface ReadMark {
  readSeq: number;
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

export interface Storage {
  /** Creates or upgrades the schema. Safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Creates the user or updates name and avatar (profiles come from the host's tokens). */
  upsertUser(user: User, now: number): Promise<void>;
  /** The users that exist among `ids`, in no particular order. */
  getUsers(ids: readonly string[]): Promise<User[]>;
  /** Users whose name or id contains `query` (case-insensitive), by name. */
  searchUsers(query: string, options: { excludeId: string; limit: number }): Promise<User[]>;

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
  getConversation(id: string): Promise<ConversationRecord | null>;
  /** The conversation as `userId` sees it, or null if they are not a member. */
  getConversationView(conversationId: string, userId: string): Promise<Conversation | null>;
  /** Ids of every conversation the user belongs to. */
  listConversationIds(userId: string): Promise<string[]>;
  listMemberIds(conversationId: string): Promise<string[]>;

  /**
   * In one transaction: dedupe on (senderId, clientId), take the next seq, insert,
   * advance the conversation's lastSeq and the sender's readSeq. Resolves only after
   * the commit is durable. The caller has checked membership.
   */
  appendMessage(input: AppendMessageInput): Promise<AppendMessageResult>;
  /** Ascending by seq whichever direction was asked. */
  getMessages(
    conversationId: string,
    query: HistoryQuery,
  ): Promise<{ messages: Message[]; hasMore: boolean }>;

  /**
   * readSeq := max(readSeq, min(seq, lastSeq)). Returns the resulting readSeq and whether
   * it moved (the server tells the user's other connections only then).
   */
  markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark>;

  /**
   * Conversations of `userId` that changed (new event, own read state) after `cursor`.
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
