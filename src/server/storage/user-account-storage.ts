/**
 * The accounts part of the storage contract: what the host's backend sets about its users
 * through the admin API (bot flag, roles, blocking) and their deletion. Profiles (name,
 * avatar) are also written by every handshake, from the token (`upsertUser`).
 */
import type { User } from '../../protocol/index.js';

export interface UserAccount {
  /** The profile as the widget shows it (`bot` and `deleted` only when true). */
  user: User;
  bot: boolean;
  /** Host-defined roles, e.g. `agent`; sorted, no duplicates. */
  roles: string[];
  blockedAt: number | null;
  deletedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SaveUserAccountInput {
  user: Pick<User, 'id' | 'name' | 'avatar'>;
  /** Left as stored when omitted (false for a new user). */
  bot?: boolean;
  /** Left as stored when omitted (none for a new user). */
  roles?: readonly string[];
}

/** What erasing a user's messages left behind: file bytes no record points at any more. */
export interface ErasedUserData {
  /** Blob-store keys of the user's uploads that no other record shares. */
  orphanedStorageKeys: string[];
}

export interface UserAccountStorage {
  /** Creates or updates the user. `user_deleted` for the id of a deleted user. */
  saveUserAccount(input: SaveUserAccountInput, now: number): Promise<UserAccount>;
  getUserAccount(userId: string): Promise<UserAccount | null>;
  /** `not_found` for an unknown user, `user_deleted` for a deleted one. Idempotent. */
  setUserBlocked(userId: string, blocked: boolean, now: number): Promise<UserAccount>;
  /**
   * Marks the user deleted for good (no session, no profile update ever again) and
   * replaces their profile with a placeholder (name `Deleted user`, no avatar, no roles);
   * their push subscriptions go. Idempotent;
   * `not_found` for an unknown user. Group memberships are the caller's to end first.
   */
  markUserDeleted(userId: string, now: number): Promise<UserAccount>;
  /**
   * Removes the content of every message the user sent (their bodies become `recalled`
   * by them, out of the search index; timeline events about groups stay), and the
   * records of the files they uploaded. No timeline event is recorded: the seqs stay.
   */
  eraseUserMessages(userId: string): Promise<ErasedUserData>;
}
