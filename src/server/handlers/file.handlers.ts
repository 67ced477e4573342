import type { CommandHandlers, HandlerDeps } from './command.js';

export function createFileHandlers({ membership, fileAccess }: HandlerDeps): CommandHandlers<'file:access'> {
  return {
    async 'file:access'({ conversationId }, { user }) {
      await membership.requireMember(conversationId, user.id);
      return fileAccess.issue(user.id, conversationId);
    },
  };
}
