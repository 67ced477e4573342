import { CommandError } from '../errors.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** Recall and edit (timeline events of their own), and who has read a message. */
export function createMessageChangeHandlers({
  storage,
  membership,
  messaging,
}: HandlerDeps): CommandHandlers<'message:recall' | 'message:edit' | 'message:readers'> {
  return {
    'message:recall'({ conversationId, clientId, seq }, context) {
      return messaging.recall({ conversationId, actorId: context.user.id, clientId, seq }, context);
    },

    'message:edit'({ conversationId, clientId, seq, text }, context) {
      return messaging.edit({ conversationId, actorId: context.user.id, clientId, seq, text }, context);
    },

    async 'message:readers'({ conversationId, seq, limit }, { user }) {
      await membership.requireMember(conversationId, user.id);
      const message = await storage.getMessage(conversationId, seq);
      if (!message) throw new CommandError('not_found', 'no such message');
      return storage.countReaders(conversationId, { seq, senderId: message.senderId, limit });
    },
  };
}
