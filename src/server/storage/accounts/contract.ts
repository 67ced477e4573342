/**
 * The accounts area of storage: users' profiles (written by every handshake, from the
 * token) and their accounts (bot flag, roles, blocking, deletion; see accounts/decisions.ts).
 *
 * User ids given to conversations and messages must belong to users stored here.
 */
import type { User } from '../../../protocol/index.js';
import type { ErasedUserData, SaveUserAccountInput, UserAccount } from '../../accounts/account.js';
import type { BlockOutcome } from '../../accounts/block-decisions.js';
import type { StorageArea } from '../area.js';

export interface AccountReads {
  /** The users that exist among `ids`, in no particular order. */
  users(ids: readonly string[]): Promise<User[]>;
  /** Users whose name or id contains `query` (case-insensitive), by name; never deleted ones or visitors. */
  search(query: string, options: { excludeId: string; limit: number }): Promise<User[]>;
  account(userId: string): Promise<UserAccount | null>;
  /** The people `blockerId` blocked, newest first (then by id). */
  blockedBy(blockerId: string): Promise<{ userId: string; blockedAt: number }[]>;
  /** Of `otherIds`, those with a block between them and `userId`, whichever blocked whom. */
  blockedWith(userId: string, otherIds: readonly string[]): Promise<Set<string>>;
}

export interface AccountWrites {
  /**
   * Creates the user or updates name and avatar (profiles come from the host's tokens).
   * The caller has checked that the user is not deleted.
   */
  upsertUser(user: User, now: number): Promise<void>;
  /** Creates or updates the user. `user_deleted` for the id of a deleted user. */
  save(input: SaveUserAccountInput, now: number): Promise<UserAccount>;
  /** `not_found` for an unknown user, `user_deleted` for a deleted one. Idempotent. */
  setBlocked(userId: string, blocked: boolean, now: number): Promise<UserAccount>;
  /**
   * Marks the user deleted for good and replaces their profile with a placeholder (name
   * `Deleted user`, no avatar, no roles); their push subscriptions go. Idempotent;
   * `not_found` for an unknown user. Group memberships are the caller's to end first.
   */
  markDeleted(userId: string, now: number): Promise<UserAccount>;
  /**
   * Removes the content of every message the user sent (see `eraseMessages` in
   * accounts/decisions.ts; out of the search index too), quotes of them in replies, and the
   * records of the files they uploaded. No timeline event is recorded: the seqs stay.
   */
  eraseMessages(userId: string): Promise<ErasedUserData>;
  /**
   * `blockerId` blocks (or unblocks) `userId`, as block-decisions.ts rules: `not_found` for
   * an unknown user, `invalid_payload` for oneself, `forbidden` past the limit.
   */
  setUserBlock(input: { blockerId: string; userId: string; blocked: boolean; now: number }): Promise<BlockOutcome>;
}

export type AccountStorage = StorageArea<AccountReads, AccountWrites>;
