import { conversationRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

export function createMessageHandlers({
  storage,
  membership,
  clock,
}: HandlerDeps): CommandHandlers<'message:send' | 'message:history'> {
  return {
    async 'message:send'({ conversationId, clientId, body }, { socket, user }) {
      await membership.requireMember(conversationId, user.id);
      const result = await storage.appendMessage({
        conversationId,
        senderId: user.id,
        clientId,
        body,
        createdAt: clock.now(),
      });
      // Durable now. Everyone else in the room, the sender's other tabs included, gets it
      // live; this socket gets the ack. A retried send was broadcast the first time.
      if (!result.duplicate) {
        socket.to(conversationRoom(conversationId)).emit('message:new', result.message);
      }
      return result;
    },

    async 'message:history'({ conversationId, beforeSeq, afterSeq, limit }, { user }) {
      await membership.requireMember(conversationId, user.id);
      return storage.getMessages(conversationId, { beforeSeq, afterSeq, limit });
    },
  };
}
