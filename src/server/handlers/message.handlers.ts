import type { OutgoingBody } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { authorizePost } from '../groups/posting.js';
import { conversationRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

export function createMessageHandlers({
  storage,
  membership,
  clock,
}: HandlerDeps): CommandHandlers<'message:send' | 'message:history'> {
  return {
    async 'message:send'({ conversationId, clientId, body }, { socket, user }) {
      let allowed: OutgoingBody;
      try {
        const { conversation, member } = await membership.requireMember(conversationId, user.id);
        allowed = authorizePost(conversation, member, body);
      } catch (error) {
        // A retry of a message stored before the sender lost the right still gets its
        // original ack: sends stay idempotent.
        const original =
          error instanceof CommandError ? await storage.findMessage(user.id, clientId) : null;
        if (original) return { message: original, duplicate: true };
        throw error;
      }
      const result = await storage.appendMessage({
        conversationId,
        senderId: user.id,
        clientId,
        body: allowed,
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
      const maxSeq = await membership.requireReader(conversationId, user.id);
      return storage.getMessages(conversationId, { beforeSeq, afterSeq, limit, maxSeq });
    },
  };
}
