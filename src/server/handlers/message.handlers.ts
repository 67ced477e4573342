import type { CommandHandlers, HandlerDeps } from './command.js';

export function createMessageHandlers({
  messaging,
  membership,
}: HandlerDeps): CommandHandlers<'message:send' | 'message:history'> {
  return {
    'message:send'({ conversationId, clientId, body, replyToSeq }, context) {
      return messaging.send({ conversationId, senderId: context.user.id, clientId, body, replyToSeq }, context);
    },

    async 'message:history'({ conversationId, beforeSeq, afterSeq, limit }, { user }) {
      const maxSeq = await membership.requireReader(conversationId, user.id);
      return messaging.history(conversationId, { beforeSeq, afterSeq, limit, maxSeq });
    },
  };
}
