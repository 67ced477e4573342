import type { CommandHandlers, HandlerDeps } from './command.js';

export function createSearchHandlers({ search }: HandlerDeps): CommandHandlers<'message:search'> {
  return {
    async 'message:search'({ query, conversationId, cursor, limit }, { user }) {
      return search.search(user.id, { query, conversationId, cursor, limit });
    },
  };
}
