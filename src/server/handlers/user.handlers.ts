import type { CommandHandlers, HandlerDeps } from './command.js';

export function createUserHandlers({
  accounts,
  blocks,
}: HandlerDeps): CommandHandlers<'user:search' | 'user:block' | 'user:unblock' | 'user:blocks'> {
  return {
    async 'user:search'({ query, limit }, { user }) {
      return { users: await accounts.search(user.id, query, limit) };
    },

    async 'user:block'({ userId }, { socket, user }) {
      await blocks.set(user.id, userId, true, socket);
      return blocks.list(user.id);
    },

    async 'user:unblock'({ userId }, { socket, user }) {
      await blocks.set(user.id, userId, false, socket);
      return blocks.list(user.id);
    },

    'user:blocks'(_, { user }) {
      return blocks.list(user.id);
    },
  };
}
