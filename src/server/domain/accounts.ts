import { CommandError } from '../errors.js';
import type { UserAccount } from '../storage/user-account-storage.js';
import { userRoom } from '../types.js';
import type { DomainDeps } from './deps.js';
import type { Groups } from '../groups/groups.js';

/** How much of a deleted user stays: their messages as they were, or nothing of their content. */
export type DeletionMode = 'anonymize' | 'erase';

/**
 * Blocking and deleting users. Both end the user's open sessions at once; the handshake
 * then refuses new ones (`user_blocked`, `user_deleted`).
 */
export class Accounts {
  constructor(
    private readonly deps: DomainDeps,
    private readonly groups: Groups,
  ) {}

  async setBlocked(userId: string, blocked: boolean): Promise<UserAccount> {
    const account = await this.deps.storage.setUserBlocked(userId, blocked, this.deps.clock.now());
    if (blocked) this.#endSessions(userId);
    return account;
  }

  /**
   * Deletes the account for good. Anonymize: the profile becomes a placeholder and the
   * user leaves every group; what they wrote stays in the others' conversations, shown as
   * from "Deleted user". Erase: their messages' content and their files go too. Safe to
   * repeat: a deletion cut short goes on where it stopped.
   */
  async delete(userId: string, mode: DeletionMode): Promise<UserAccount> {
    const { storage, clock, blobs, logger } = this.deps;
    const account = await storage.markUserDeleted(userId, clock.now());
    this.#endSessions(userId);
    await this.groups.leaveAll(account.user);
    if (mode === 'erase') {
      const { orphanedStorageKeys } = await storage.eraseUserMessages(userId);
      for (const key of orphanedStorageKeys) {
        await blobs?.delete(key).catch((error: unknown) => logger.error({ err: error, key }, 'could not delete a file'));
      }
    }
    return account;
  }

  /** Refuses a session for a blocked or deleted user (the handshake and `auth:refresh`). */
  async requireActive(userId: string): Promise<void> {
    const account = await this.deps.storage.getUserAccount(userId);
    if (account?.deletedAt != null) throw new CommandError('user_deleted', 'this account was deleted');
    if (account?.blockedAt != null) throw new CommandError('user_blocked', 'this account is blocked');
  }

  #endSessions(userId: string): void {
    this.deps.io.in(userRoom(userId)).disconnectSockets(true);
  }
}
