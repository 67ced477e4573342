import type { CommandHandlers, HandlerDeps } from './command.js';

export function createUserHandlers({ storage }: HandlerDeps): CommandHandlers<'user:search'> {
  return {
    async 'user:search'({ query, limit }, { user }) {
      return { users: await storage.searchUsers(query, { excludeId: user.id, limit }) };
    },
  };
}
