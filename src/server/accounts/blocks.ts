import type { BlockListResult, User } from '../../protocol/index.js';
import type { DomainDeps } from '../domain/deps.js';
import { singleConversationId } from '../conversation-id.js';
import type { ImSocket } from '../types.js';
import type { BlockOutcome } from './block-decisions.js';

/**
 * Blocking between users, for socket commands and the admin API alike (the rules are in
 * block-decisions.ts). A block stops single-chat messages both ways, new single chats and
 * group adds between the two, and hides each one's presence, typing and receipts in their
 * single chat from the other; group timelines are not filtered. Only the blocker's own
 * connections hear of it.
 */
export class Blocks {
  constructor(private readonly deps: DomainDeps) {}

  /** The people `userId` blocked, newest first, with their profiles. */
  async list(userId: string): Promise<BlockListResult> {
    const blocked = await this.deps.storage.accounts.read.blockedBy(userId);
    return { blocked, users: await this.deps.storage.accounts.read.users(blocked.map((entry) => entry.userId)) };
  }

  /**
   * `blockerId` blocks or unblocks `userId`. A change reaches the blocker's other
   * connections (`origin`, the one that asked, has the answer), and while blocked the two
   * stop hearing each other's presence.
   */
  async set(blockerId: string, userId: string, blocked: boolean, origin?: ImSocket): Promise<BlockOutcome> {
    const { storage, clock, fanOut } = this.deps;
    const outcome = await storage.accounts.write.setUserBlock({ blockerId, userId, blocked, now: clock.now() });
    if (outcome.changed) {
      // Their single chat's cached state says whether it takes messages: read it again, here and elsewhere.
      this.deps.membership.forget(singleConversationId(blockerId, userId));
      const [user] = await storage.accounts.read.users([userId]);
      fanOut.blockChanged(blockerId, { user: user as User, blocked, blockedAt: outcome.blockedAt }, origin);
    }
    return outcome;
  }

  /** Whether a block stands between the two, either way. */
  async between(userId: string, otherId: string): Promise<boolean> {
    return (await this.deps.storage.accounts.read.blockedWith(userId, [otherId])).has(otherId);
  }
}
