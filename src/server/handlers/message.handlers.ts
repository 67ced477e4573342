import type { CommandHandlers, HandlerDeps } from './command.js';

export function createMessageHandlers({ messaging }: HandlerDeps): CommandHandlers<'message:send' | 'message:history'> {
  return {
    'message:send'({ conversationId, clientId, body, replyToSeq }, context) {
      return messaging.send({ conversationId, senderId: context.user.id, clientId, body, replyToSeq }, context);
    },

    'message:history'({ conversationId, beforeSeq, afterSeq, limit }, { user }) {
      return messaging.history(conversationId, user.id, { beforeSeq, afterSeq, limit });
    },
  };
}
