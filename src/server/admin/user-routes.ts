import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { UserAccount } from '../accounts/account.js';
import { accountResult, agentRole, type AdminDeps } from './deps.js';
import { AdminError } from './errors.js';
import { BlockListResult } from '../../protocol/schemas.js';
import { BlockParams, DeleteUserQuery, SaveUserBody, UnreadResult, UserAccountResult, UserParams } from './schemas.js';

const tags = ['users'];

export function addUserRoutes(app: FastifyInstance, { domain, support }: AdminDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const result = async (account: UserAccount) => accountResult(account, await support.isAgent(account.user.id));

  /** Roles decide the support team: `agent` given or taken is the desk's to apply. */
  async function applyAgentRole(userId: string, roles: readonly string[] | undefined): Promise<void> {
    if (roles !== undefined) await support.setAgentRole(userId, roles.includes(agentRole));
  }

  api.put('/users/:userId', {
    schema: {
      tags,
      operationId: 'saveUser',
      summary: 'Create or update a user (the id is your own system\'s)',
      description:
        'Name and avatar are also taken from each token the user signs in with. The role `agent` makes the ' +
        'user one of the support team (they answer support conversations); roles omitted are left as they ' +
        'are. Deleted users cannot be saved again (410 user_deleted).',
      params: UserParams,
      body: SaveUserBody,
      response: { 200: UserAccountResult },
    },
    handler: async ({ params, body }) => {
      const { name, avatar, bot, roles } = body;
      const user = { id: params.userId, name, avatar: avatar ?? null };
      const account = await domain.accounts.save({ user, bot, roles });
      await applyAgentRole(user.id, roles);
      return result(account);
    },
  });

  api.get('/users/:userId', {
    schema: { tags, operationId: 'getUser', summary: 'Read a user', params: UserParams, response: { 200: UserAccountResult } },
    handler: async ({ params }) => {
      const account = await domain.accounts.account(params.userId);
      if (!account) throw new AdminError(404, 'not_found', 'no user with this id');
      return result(account);
    },
  });

  api.post('/users/:userId/block', {
    schema: {
      tags,
      operationId: 'blockUser',
      summary: 'Block a user: their sessions end at once and new ones are refused (user_blocked)',
      params: UserParams,
      response: { 200: UserAccountResult },
    },
    handler: async ({ params }) => result(await domain.accounts.setBlocked(params.userId, true)),
  });

  api.post('/users/:userId/unblock', {
    schema: { tags, operationId: 'unblockUser', summary: 'Unblock a user', params: UserParams, response: { 200: UserAccountResult } },
    handler: async ({ params }) => result(await domain.accounts.setBlocked(params.userId, false)),
  });

  api.delete('/users/:userId', {
    schema: {
      tags,
      operationId: 'deleteUser',
      summary: 'Delete a user for good',
      description:
        'The sessions end, the profile becomes "Deleted user", the user leaves every group (an owner hands ' +
        'the group to an admin or member first; a group with nobody else is dismissed) and can never sign ' +
        'in again. mode=anonymize keeps their messages in the others\' conversations; mode=erase removes ' +
        'their content (messages show as recalled) and their uploaded files. Safe to repeat.',
      params: UserParams,
      querystring: DeleteUserQuery,
      response: { 200: UserAccountResult },
    },
    handler: async ({ params, query }) => {
      const account = await domain.accounts.delete(params.userId, query.mode);
      // A deleted user answers no more support questions.
      await support.setAgentRole(params.userId, false);
      return result(account);
    },
  });

  api.get('/users/:userId/unread', {
    schema: {
      tags,
      operationId: 'getUserUnread',
      summary: "A user's unread messages, per conversation (for your own badges and e-mails)",
      params: UserParams,
      response: { 200: UnreadResult },
    },
    handler: async ({ params }) => {
      if (!(await domain.accounts.account(params.userId))) throw new AdminError(404, 'not_found', 'no user with this id');
      return domain.conversations.unread(params.userId);
    },
  });

  const requireUser = async (userId: string) => {
    if (!(await domain.accounts.account(userId))) throw new AdminError(404, 'not_found', 'no user with this id');
  };

  api.get('/users/:userId/blocked-users', {
    schema: {
      tags,
      operationId: 'listBlockedUsers',
      summary: 'The people a user blocked, newest first',
      params: UserParams,
      response: { 200: BlockListResult },
    },
    handler: async ({ params }) => {
      await requireUser(params.userId);
      return domain.blocks.list(params.userId);
    },
  });

  api.put('/users/:userId/blocked-users/:blockedId', {
    schema: {
      tags,
      operationId: 'blockUserForUser',
      summary: 'Block someone for a user, as if they did it (their devices hear of it)',
      params: BlockParams,
      response: { 200: BlockListResult },
    },
    handler: async ({ params }) => {
      await requireUser(params.userId);
      await domain.blocks.set(params.userId, params.blockedId, true);
      return domain.blocks.list(params.userId);
    },
  });

  api.delete('/users/:userId/blocked-users/:blockedId', {
    schema: {
      tags,
      operationId: 'unblockUserForUser',
      summary: 'Unblock someone for a user',
      params: BlockParams,
      response: { 200: BlockListResult },
    },
    handler: async ({ params }) => {
      await requireUser(params.userId);
      await domain.blocks.set(params.userId, params.blockedId, false);
      return domain.blocks.list(params.userId);
    },
  });
}
