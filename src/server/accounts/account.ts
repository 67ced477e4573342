/**
 * A user's account: what the host's backend sets about its users through the admin API
 * (bot flag, roles, blocking) and their deletion. Profiles (name, avatar) are also written
 * by every handshake, from the token.
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

/** What a deleted user's messages show as their sender. */
export const deletedUserName = 'Deleted user';
