import type { CommandHandlers, HandlerDeps } from './command.js';
import { shareReceipt } from './awareness.handlers.js';
import { shownUserIds } from '../conversations/shown-users.js';

export function createConversationHandlers({
  accounts,
  membership,
  conversations,
  fanOut,
  reads,
}: HandlerDeps): CommandHandlers<
  'conversation:start' | 'conversation:sync' | 'conversation:read' | 'conversation:settings'
> {
  return {
    async 'conversation:start'({ userId }, { user }) {
      const { record, peer } = await conversations.startSingle(user.id, userId);
      return { conversation: await conversations.view(record.id, user.id), users: [user, peer] };
    },

    async 'conversation:sync'({ cursor, limit }, { user }) {
      const changes = await conversations.changes(user.id, cursor, limit);
      // The caller's own profile came with session:ready.
      const userIds = shownUserIds(changes.conversations).filter((id) => id !== user.id);
      return { ...changes, users: await accounts.users(userIds) };
    },

    async 'conversation:read'({ conversationId, seq }, { socket, user }) {
      const { readSeq, deliveredSeq, changed } = await reads.markRead(conversationId, user.id, seq);
      if (changed) {
        fanOut.readMoved({ conversationId, userId: user.id, readSeq }, socket);
        // Former members' reading is nobody else's business.
        const conversation = await membership.get(conversationId);
        if (conversation?.members.has(user.id) && !conversation.blocked) {
          shareReceipt(fanOut, socket, conversation, { conversationId, userId: user.id, deliveredSeq, readSeq });
        }
      }
      return { readSeq };
    },

    async 'conversation:settings'({ conversationId, ...changes }, { socket, user }) {
      const conversation = await conversations.updateSettings(conversationId, user.id, changes);
      fanOut.conversationChanged(user.id, conversation, socket);
      return { conversation };
    },
  };
}
