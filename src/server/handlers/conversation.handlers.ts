import { singleConversationId } from '../conversation-id.js';
import { CommandError } from '../errors.js';
import { conversationRoom, userRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';
import { shareReceipt } from './awareness.handlers.js';
import { shownUserIds } from './group-changes.js';

export function createConversationHandlers({
  io,
  storage,
  membership,
  clock,
}: HandlerDeps): CommandHandlers<
  'conversation:start' | 'conversation:sync' | 'conversation:read' | 'conversation:settings'
> {
  return {
    async 'conversation:start'({ userId }, { user }) {
      if (userId === user.id) {
        throw new CommandError('invalid_payload', 'a single chat needs another person', {
          issues: [{ path: 'userId', message: 'must not be your own id' }],
        });
      }
      const [peer] = await storage.getUsers([userId]);
      if (!peer) throw new CommandError('not_found', 'no user with this id');
      const id = singleConversationId(user.id, peer.id);
      const record = await storage.ensureSingleConversation({
        id,
        memberIds: [user.id, peer.id],
        createdBy: user.id,
        now: clock.now(),
      });
      membership.remember(id, {
        type: 'single',
        dismissed: false,
        mutedAll: false,
        members: record.memberIds.map((userId) => ({ userId, role: 'member', muted: false })),
      });
      // Both people's open connections follow the conversation from now on.
      io.in([userRoom(user.id), userRoom(peer.id)]).socketsJoin(conversationRoom(id));
      const conversation = await storage.getConversationView(id, user.id);
      if (!conversation) throw new Error(`conversation ${id} vanished after it was ensured`);
      return { conversation, users: [user, peer] };
    },

    async 'conversation:sync'({ cursor, limit }, { user }) {
      const changes = await storage.changedConversations(user.id, cursor, limit);
      // The caller's own profile came with session:ready.
      const userIds = shownUserIds(changes.conversations).filter((id) => id !== user.id);
      return { ...changes, users: await storage.getUsers(userIds) };
    },

    async 'conversation:read'({ conversationId, seq }, { socket, user }) {
      // A former member may still mark what they can read.
      await membership.requireReader(conversationId, user.id);
      const { readSeq, deliveredSeq, changed } = await storage.markRead(conversationId, user.id, seq);
      if (changed) {
        socket
          .to(userRoom(user.id))
          .emit('conversation:read', { conversationId, userId: user.id, readSeq });
        // Former members' reading is nobody else's business.
        const conversation = await membership.get(conversationId);
        if (conversation?.members.has(user.id)) {
          shareReceipt(socket, conversation, { conversationId, userId: user.id, deliveredSeq, readSeq });
        }
      }
      return { readSeq };
    },

    async 'conversation:settings'({ conversationId, ...changes }, { socket, user }) {
      await membership.requireReader(conversationId, user.id);
      const conversation = await storage.updateMemberSettings(conversationId, user.id, changes, clock.now());
      socket.to(userRoom(user.id)).emit('conversation:changed', conversation);
      return { conversation };
    },
  };
}
