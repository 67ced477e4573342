import { startSingleConversation } from '../domain/conversations.js';
import type { CommandHandlers, HandlerDeps } from './command.js';
import { shareReceipt } from './awareness.handlers.js';
import { shownUserIds } from './group-changes.js';

export function createConversationHandlers({
  storage,
  membership,
  clock,
  domain,
  fanOut,
}: HandlerDeps): CommandHandlers<
  'conversation:start' | 'conversation:sync' | 'conversation:read' | 'conversation:settings'
> {
  return {
    async 'conversation:start'({ userId }, { user }) {
      const { record, peer } = await startSingleConversation(domain, user.id, userId);
      const conversation = await storage.getConversationView(record.id, user.id);
      if (!conversation) throw new Error(`conversation ${record.id} vanished after it was ensured`);
      return { conversation, users: [user, peer] };
    },

    async 'conversation:sync'({ cursor, limit }, { user }) {
      const changes = await storage.changedConversations(user.id, cursor, limit);
      // The caller's own profile came with session:ready.
      const userIds = shownUserIds(changes.conversations).filter((id) => id !== user.id);
      return { ...changes, users: await storage.accounts.read.users(userIds) };
    },

    async 'conversation:read'({ conversationId, seq }, { socket, user }) {
      // A former member may still mark what they can read.
      await membership.requireReader(conversationId, user.id);
      const { readSeq, deliveredSeq, changed } = await storage.markRead(conversationId, user.id, seq);
      if (changed) {
        fanOut.readMoved({ conversationId, userId: user.id, readSeq }, socket);
        // Former members' reading is nobody else's business.
        const conversation = await membership.get(conversationId);
        if (conversation?.members.has(user.id)) {
          shareReceipt(fanOut, socket, conversation, { conversationId, userId: user.id, deliveredSeq, readSeq });
        }
      }
      return { readSeq };
    },

    async 'conversation:settings'({ conversationId, ...changes }, { socket, user }) {
      await membership.requireReader(conversationId, user.id);
      const conversation = await storage.updateMemberSettings(conversationId, user.id, changes, clock.now());
      fanOut.conversationChanged(user.id, conversation, socket);
      return { conversation };
    },
  };
}
