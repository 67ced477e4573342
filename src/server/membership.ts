import type { ConversationType, GroupRole } from '../protocol/index.js';
import { CommandError } from './errors.js';
import type { GroupChange } from './groups/model.js';
import type { ConversationAccess } from './storage/groups/contract.js';
import type { Storage } from './storage/storage.js';

export interface CachedMember {
  role: GroupRole;
  muted: boolean;
}

/** What deciding who may post needs, per conversation. */
export interface CachedConversation {
  type: ConversationType;
  /** Active members only. */
  members: Map<string, CachedMember>;
  mutedAll: boolean;
  dismissed: boolean;
  /** A single chat with a block between its two members, either way (see `Blocks`). */
  blocked: boolean;
  memberCount: number;
}

interface Loading {
  promise: Promise<CachedConversation | null>;
  /** A change arrived while loading: what was read may predate it. */
  stale: boolean;
}

export interface MembershipCacheOptions {
  /**
   * Tells the other server processes sharing the storage that a conversation's members
   * changed, so that they drop what they cached of it (see `invalidate`).
   */
  announce?: (conversationId: string) => void;
}

/**
 * Who belongs to which conversation, with roles and mutes, kept in memory so that
 * authorizing a message costs no database read once a conversation is known. Loaded
 * lazily from storage and updated by every change this process makes (`apply`); the
 * changes other processes make arrive as `invalidate`, and the conversation is read
 * again when next needed.
 */
export class MembershipCache {
  readonly #conversations = new Map<string, CachedConversation>();
  readonly #loading = new Map<string, Loading>();

  constructor(
    private readonly storage: Storage,
    private readonly options: MembershipCacheOptions = {},
  ) {}

  /** The conversation's state, or null if it does not exist. */
  get(conversationId: string): Promise<CachedConversation | null> {
    const cached = this.#conversations.get(conversationId);
    if (cached) return Promise.resolve(cached);
    let loading = this.#loading.get(conversationId);
    if (!loading) {
      const started: Loading = { stale: false, promise: this.#load(conversationId) };
      loading = started;
      this.#loading.set(conversationId, started);
      const done = () => {
        if (this.#loading.get(conversationId) === started) this.#loading.delete(conversationId);
      };
      started.promise.then(done, done);
    }
    return loading.promise;
  }

  /**
   * The caller's membership if they are an active member, else `not_found`: a non-member
   * must not learn that the conversation exists (single-chat ids derive from the two user ids).
   */
  async requireMember(
    conversationId: string,
    userId: string,
  ): Promise<{ conversation: CachedConversation; member: CachedMember }> {
    const conversation = await this.get(conversationId);
    const member = conversation?.members.get(userId);
    if (!conversation || !member) throw new CommandError('not_found', 'no such conversation');
    return { conversation, member };
  }

  /**
   * The newest seq the user may read: undefined (no cap) for an active member, the event
   * that ended their membership for a former one; `not_found` for anyone else.
   */
  async requireReader(conversationId: string, userId: string): Promise<number | undefined> {
    const conversation = await this.get(conversationId);
    if (conversation?.members.has(userId)) return undefined;
    // Only those who are not active members pay for a read.
    const former = conversation && (await this.storage.groups.read.getMembership(conversationId, userId));
    if (!former || former.leftSeq === null) {
      throw new CommandError('not_found', 'no such conversation');
    }
    return former.leftSeq;
  }

  /** Whether the user is an active member, if this process knows; undefined if it does not. */
  peek(conversationId: string, userId: string): boolean | undefined {
    return this.#conversations.get(conversationId)?.members.has(userId);
  }

  remember(conversationId: string, access: ConversationAccess): void {
    this.#conversations.set(conversationId, {
      type: access.type,
      members: new Map(access.members.map(({ userId, role, muted }) => [userId, { role, muted }])),
      mutedAll: access.mutedAll,
      dismissed: access.dismissed,
      blocked: access.blocked,
      memberCount: access.members.length,
    });
  }

  /**
   * Drops what is known of a conversation (changed outside `apply`), here and in the other
   * processes: the next use reads it again.
   */
  forget(conversationId: string): void {
    this.options.announce?.(conversationId);
    this.invalidate(conversationId);
  }

  /** Applies a committed change, and tells the other processes. */
  apply(change: GroupChange): void {
    this.options.announce?.(change.conversationId);
    const loading = this.#loading.get(change.conversationId);
    if (loading) loading.stale = true;
    const cached = this.#conversations.get(change.conversationId);
    if (!cached) return;
    for (const { userId, role, muted, state } of change.members) {
      if (state === 'active') cached.members.set(userId, { role, muted });
      else cached.members.delete(userId);
    }
    cached.mutedAll = change.group.mutedAll;
    cached.dismissed = change.group.dismissed;
    cached.memberCount = change.group.memberCount;
  }

  /**
   * Another process changed the conversation: what is cached may be stale. Changes are
   * not applied from their news, which may arrive in another order than they committed:
   * the conversation is read again instead.
   */
  invalidate(conversationId: string): void {
    const loading = this.#loading.get(conversationId);
    if (loading) loading.stale = true;
    this.#conversations.delete(conversationId);
  }

  /** Forgets everything: news of other processes' changes may have been missed. */
  clear(): void {
    for (const loading of this.#loading.values()) loading.stale = true;
    this.#conversations.clear();
  }

  async #load(conversationId: string): Promise<CachedConversation | null> {
    for (;;) {
      const access = await this.storage.groups.read.getConversationAccess(conversationId);
      const loading = this.#loading.get(conversationId);
      if (loading?.stale) {
        loading.stale = false;
        continue;
      }
      // Unknown ids are not cached: anyone can name one, and the map must not grow with them.
      if (!access) return null;
      // A change may have been remembered meanwhile (a group created by this process).
      const current = this.#conversations.get(conversationId);
      if (current) return current;
      this.remember(conversationId, access);
      return this.#conversations.get(conversationId)!;
    }
  }
}
