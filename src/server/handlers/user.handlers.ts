import type { CommandHandlers, HandlerDeps } from './command.js';

export function createUserHandlers({ accounts }: HandlerDeps): CommandHandlers<'user:search'> {
  return {
    async 'user:search'({ query, limit }, { user }) {
      return { users: await accounts.search(user.id, query, limit) };
    },
  };
}
