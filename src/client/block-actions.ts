import type { BlockListResult, BlockedUser, GroupBansResult, GroupResult } from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { Connection } from './connection.js';

/**
 * Blocking people, and bans from groups. The user's block list is kept in the cache
 * (`cache.blockedUsers()`), so every view of this user, on every tab, shows the same;
 * the server tells the user's other connections live, and `refresh` (run on each catch-up)
 * brings in what changed while this device was offline.
 * These need a connection: they fail with `offline` rather than wait.
 */
export class BlockActions {
  constructor(
    private readonly connection: Connection,
    private readonly cache: () => ChatCache,
  ) {}

  /** Blocks a person: no single-chat messages either way, no group adds between the two. */
  async block(userId: string): Promise<BlockedUser[]> {
    return this.#keep(await this.connection.request('user:block', { userId }));
  }

  async unblock(userId: string): Promise<BlockedUser[]> {
    return this.#keep(await this.connection.request('user:unblock', { userId }));
  }

  /** Reads the block list from the server into the cache. */
  async refresh(): Promise<BlockedUser[]> {
    return this.#keep(await this.connection.request('user:blocks', {}));
  }

  /** Removes a member of a group (if they are one) and bans them: links and adds refuse them. */
  async ban(conversationId: string, userId: string): Promise<GroupResult> {
    return this.#applyGroup(await this.connection.request('group:ban-member', { conversationId, userId }));
  }

  async liftBan(conversationId: string, userId: string): Promise<GroupResult> {
    return this.#applyGroup(await this.connection.request('group:unban-member', { conversationId, userId }));
  }

  /** A group's bans, for its owner and admins; the banned users' profiles go to the cache. */
  async bans(conversationId: string): Promise<GroupBansResult> {
    const result = await this.connection.request('group:bans', { conversationId });
    await this.cache().putUsers(result.users);
    return result;
  }

  async #keep({ blocked, users }: BlockListResult): Promise<BlockedUser[]> {
    await this.cache().setBlockedUsers(blocked, users);
    return blocked;
  }

  async #applyGroup(result: GroupResult): Promise<GroupResult> {
    const cache = this.cache();
    await cache.applyConversations([result.conversation], result.users, { reset: false });
    await cache.dropMembers(result.conversation.id);
    return result;
  }
}
