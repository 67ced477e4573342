/** A user's account as both storages read it (`users` with its account columns). */
import type { User } from '../../../protocol/index.js';
import type { UserAccount } from '../../accounts/account.js';

export interface AccountRow {
  id: string;
  name: string;
  avatar: string | null;
  bot: number;
  roles: string;
  blocked_at: number | null;
  deleted_at: number | null;
  created_at: number;
  updated_at: number;
}

export const accountColumns = 'id, name, avatar, bot, roles, blocked_at, deleted_at, created_at, updated_at';

export function toAccount(row: AccountRow): UserAccount {
  const user: User = { id: row.id, name: row.name, avatar: row.avatar };
  if (row.bot === 1) user.bot = true;
  if (row.deleted_at !== null) user.deleted = true;
  return {
    user,
    bot: row.bot === 1,
    roles: JSON.parse(row.roles) as string[],
    blockedAt: row.blocked_at,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Flags as both storages keep them: 0 or 1, null for "left as stored". */
export function flag(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}
