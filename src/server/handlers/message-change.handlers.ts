import { limits } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { isManager } from '../groups/rules.js';
import { authorizePost } from '../groups/posting.js';
import { conversationRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** Recall and edit (timeline events of their own), and who has read a message. */
export function createMessageChangeHandlers({
  storage,
  membership,
  clock,
}: HandlerDeps): CommandHandlers<'message:recall' | 'message:edit' | 'message:readers'> {
  return {
    async 'message:recall'({ conversationId, clientId, seq }, { socket, user }) {
      const { conversation, member } = await membership.requireMember(conversationId, user.id);
      if (conversation.dismissed) throw new CommandError('group_dismissed', 'the group was dismissed');
      const result = await storage.changeMessage({
        conversationId,
        actorId: user.id,
        clientId,
        seq,
        createdAt: clock.now(),
        change: {
          type: 'recall',
          privileged: conversation.type === 'group' && isManager(member.role),
          windowMs: limits.recallWindowMs,
        },
      });
      if (!result.duplicate) socket.to(conversationRoom(conversationId)).emit('message:new', result.event);
      return result;
    },

    async 'message:edit'({ conversationId, clientId, seq, text }, { socket, user }) {
      const { conversation, member } = await membership.requireMember(conversationId, user.id);
      // Editing is posting: the same mutes and mention rules apply.
      const allowed = authorizePost(conversation, member, text);
      const result = await storage.changeMessage({
        conversationId,
        actorId: user.id,
        clientId,
        seq,
        createdAt: clock.now(),
        change: { type: 'edit', text: allowed },
      });
      if (!result.duplicate) socket.to(conversationRoom(conversationId)).emit('message:new', result.event);
      return result;
    },

    async 'message:readers'({ conversationId, seq, limit }, { user }) {
      await membership.requireMember(conversationId, user.id);
      const message = await storage.getMessage(conversationId, seq);
      if (!message) throw new CommandError('not_found', 'no such message');
      return storage.countReaders(conversationId, { seq, senderId: message.senderId, limit });
    },
  };
}
