import type { CommandHandlers, HandlerDeps } from './command.js';

export function createSearchHandlers({
  storage,
  membership,
}: HandlerDeps): CommandHandlers<'message:search'> {
  return {
    async 'message:search'({ query, conversationId, cursor, limit }, { user }) {
      // One conversation: only one the user is or was in (`not_found` otherwise).
      if (conversationId !== undefined) await membership.requireReader(conversationId, user.id);
      const page = await storage.searchMessages(user.id, { query, conversationId, cursor, limit });
      const senderIds = new Set(page.messages.map((message) => message.senderId));
      return { ...page, users: await storage.getUsers([...senderIds]) };
    },
  };
}
