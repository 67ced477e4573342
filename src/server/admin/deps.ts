import type { FastifyRequest } from 'fastify';
import type { Domain } from '../domain/index.js';
import type { SupportDesk } from '../support/support-desk.js';
import type { UserAccount } from '../accounts/account.js';
import type { Accounts } from '../accounts/accounts.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import { AdminError } from './errors.js';

export interface AdminDeps {
  domain: Domain;
  webhooks: Webhooks;
  /** The `agent` role is the support team's: giving or taking it goes through the desk. */
  support: SupportDesk;
  /** The authenticated caller's id (set before any handler runs). */
  callerOf(request: FastifyRequest): string;
}

/** The role that makes a user one of the support team's agents. */
export const agentRole = 'agent';

/** The admin API's view of an account; `agent` among the roles whenever the user is one. */
export function accountResult(account: UserAccount, isAgent: boolean) {
  const { user, bot, blockedAt, deletedAt, createdAt, updatedAt } = account;
  const roles = isAgent && !account.roles.includes(agentRole) ? [...account.roles, agentRole].sort() : account.roles;
  return { user, bot, roles, blocked: blockedAt !== null, deleted: deletedAt !== null, createdAt, updatedAt };
}

/** Users the API is asked to involve must exist and not be deleted. */
export async function requireLiveUsers(accounts: Pick<Accounts, 'users'>, userIds: readonly string[]): Promise<void> {
  const unique = [...new Set(userIds)];
  const found = await accounts.users(unique);
  const missing = unique.filter((id) => !found.some((user) => user.id === id));
  if (missing.length > 0) throw new AdminError(404, 'not_found', `no user with the id ${missing[0]}`);
  const deleted = found.find((user) => user.deleted);
  if (deleted) throw new AdminError(410, 'user_deleted', `the user ${deleted.id} was deleted`);
}
