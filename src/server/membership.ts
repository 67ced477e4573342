import { CommandError } from './errors.js';
import type { Storage } from './storage/storage.js';

/**
 * Who belongs to which conversation, kept in memory so that authorizing a message costs
 * no database read once a conversation is known. Loaded lazily from storage; single
 * chats never change members, so entries need no invalidation yet.
 */
export class MembershipCache {
  readonly #members = new Map<string, ReadonlySet<string>>();

  constructor(private readonly storage: Storage) {}

  /**
   * Resolves if `userId` belongs to the conversation, else `not_found`: a non-member must
   * not learn that the conversation exists (single-chat ids derive from the two user ids).
   */
  async requireMember(conversationId: string, userId: string): Promise<void> {
    const members = await this.#membersOf(conversationId);
    if (!members?.has(userId)) throw new CommandError('not_found', 'no such conversation');
  }

  remember(conversationId: string, memberIds: readonly string[]): void {
    this.#members.set(conversationId, new Set(memberIds));
  }

  async #membersOf(conversationId: string): Promise<ReadonlySet<string> | null> {
    const cached = this.#members.get(conversationId);
    if (cached) return cached;
    // Unknown ids are not cached: anyone can name one, and the map must not grow with them.
    const memberIds = await this.storage.listMemberIds(conversationId);
    if (memberIds.length === 0) return null;
    this.remember(conversationId, memberIds);
    return this.#members.get(conversationId)!;
  }
}
