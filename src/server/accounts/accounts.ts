import type { User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import type { DomainDeps } from '../domain/deps.js';
import type { Groups } from '../groups/groups.js';
import type { SaveUserAccountInput, UserAccount } from './account.js';

/** How much of a deleted user stays: their messages as they were, or nothing of their content. */
export type DeletionMode = 'anonymize' | 'erase';

/**
 * Users and their accounts: the command API that socket commands and the admin API share
 * (the rules are in decisions.ts). Blocking and deleting end the user's open sessions at
 * once; the handshake then refuses new ones (`user_blocked`, `user_deleted`).
 */
export class Accounts {
  constructor(
    private readonly deps: DomainDeps,
    private readonly groups: Groups,
  ) {}

  /** The users that exist among `ids`, in no particular order. */
  users(ids: readonly string[]): Promise<User[]> {
    return this.deps.storage.accounts.read.users(ids);
  }

  /** People `userId` may start a chat with: by name or id, never deleted users or visitors. */
  search(userId: string, query: string, limit: number): Promise<User[]> {
    return this.deps.storage.accounts.read.search(query, { excludeId: userId, limit });
  }

  /** Of `otherIds`, those with a block between them and `userId`, either way. */
  blockedWith(userId: string, otherIds: readonly string[]): Promise<Set<string>> {
    return this.deps.storage.accounts.read.blockedWith(userId, otherIds);
  }

  account(userId: string): Promise<UserAccount | null> {
    return this.deps.storage.accounts.read.account(userId);
  }

  /** The profile from a token (the caller has checked the user may sign in). */
  saveProfile(user: User): Promise<void> {
    return this.deps.storage.accounts.write.upsertUser(user, this.deps.clock.now());
  }

  /** What the host's backend sets: profile, bot flag, roles. `user_deleted` for a deleted user. */
  save(input: SaveUserAccountInput): Promise<UserAccount> {
    return this.deps.storage.accounts.write.save(input, this.deps.clock.now());
  }

  async setBlocked(userId: string, blocked: boolean): Promise<UserAccount> {
    const account = await this.deps.storage.accounts.write.setBlocked(userId, blocked, this.deps.clock.now());
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
    const account = await storage.accounts.write.markDeleted(userId, clock.now());
    this.#endSessions(userId);
    await this.groups.leaveAll(account.user);
    if (mode === 'erase') {
      const { orphanedStorageKeys } = await storage.accounts.write.eraseMessages(userId);
      for (const key of orphanedStorageKeys) {
        await blobs?.delete(key).catch((error: unknown) => logger.error({ err: error, key }, 'could not delete a file'));
      }
    }
    return account;
  }

  /** Refuses a session for a blocked or deleted user (the handshake and `auth:refresh`). */
  async requireActive(userId: string): Promise<void> {
    const account = await this.account(userId);
    if (account?.deletedAt != null) throw new CommandError('user_deleted', 'this account was deleted');
    if (account?.blockedAt != null) throw new CommandError('user_blocked', 'this account is blocked');
  }

  #endSessions(userId: string): void {
    this.deps.fanOut.endSessions(userId);
  }
}
