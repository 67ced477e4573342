import type { CommandHandlers, HandlerDeps } from './command.js';

/** Recall, edit and reactions (timeline events of their own), and who has read a message. */
export function createMessageChangeHandlers({
  messaging,
  reads,
}: HandlerDeps): CommandHandlers<'message:recall' | 'message:edit' | 'message:react' | 'message:readers'> {
  return {
    'message:recall'({ conversationId, clientId, seq }, context) {
      return messaging.recall({ conversationId, actorId: context.user.id, clientId, seq }, context);
    },

    'message:edit'({ conversationId, clientId, seq, text }, context) {
      return messaging.edit({ conversationId, actorId: context.user.id, clientId, seq, text }, context);
    },

    'message:react'({ conversationId, seq, emoji, on }, context) {
      return messaging.react({ conversationId, actorId: context.user.id, seq, emoji, on }, context);
    },

    'message:readers'({ conversationId, seq, limit }, { user }) {
      return reads.readers(conversationId, user.id, { seq, limit });
    },
  };
}
