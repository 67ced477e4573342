import type { CommandHandlers, HandlerDeps } from './command.js';

/** Recall, edit and reactions (timeline events of their own), who has read a message, played voice messages. */
export function createMessageChangeHandlers({
  messaging,
  reads,
  voicePlays,
}: HandlerDeps): CommandHandlers<
  'message:recall' | 'message:edit' | 'message:react' | 'message:readers' | 'message:played' | 'message:players'
> {
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

    'message:played'({ conversationId, seq }, { socket, user }) {
      return voicePlays.played(conversationId, user.id, seq, socket);
    },

    'message:players'({ conversationId, seq, limit }, { user }) {
      return voicePlays.players(conversationId, user.id, { seq, limit });
    },
  };
}
