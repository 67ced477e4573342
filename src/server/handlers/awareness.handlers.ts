import { limits, type Receipt } from '../../protocol/index.js';
import type { CachedConversation } from '../membership.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { ImSocket } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** How far members got (delivered, read) and who is typing. */
export function createAwarenessHandlers({
  storage,
  membership,
  fanOut,
}: HandlerDeps): CommandHandlers<
  'conversation:delivered' | 'conversation:receipts' | 'typing:start' | 'typing:stop'
> {
  return {
    async 'conversation:delivered'({ conversationId, seq }, { socket, user }) {
      const { conversation } = await membership.requireMember(conversationId, user.id);
      const mark = await storage.markDelivered(conversationId, user.id, seq);
      if (mark.changed) {
        const { deliveredSeq, readSeq } = mark;
        shareReceipt(fanOut, socket, conversation, { conversationId, userId: user.id, deliveredSeq, readSeq });
      }
      return { deliveredSeq: mark.deliveredSeq };
    },

    async 'conversation:receipts'({ conversationId }, { user }) {
      const { conversation } = await membership.requireMember(conversationId, user.id);
      if (!sharesReceipts(conversation)) return { receipts: [] };
      return { receipts: await storage.listReceipts(conversationId) };
    },

    async 'typing:start'({ conversationId }, { socket, user }) {
      await tellTyping(socket, conversationId, user.id, limits.typingTtlMs);
      return {};
    },

    async 'typing:stop'({ conversationId }, { socket, user }) {
      await tellTyping(socket, conversationId, user.id, 0);
      return {};
    },
  };

  /** Tells the others how long to show `userId` typing (0: no longer). */
  async function tellTyping(socket: ImSocket, conversationId: string, userId: string, ttlMs: number): Promise<void> {
    const { conversation } = await membership.requireMember(conversationId, userId);
    // Best effort: a typing indicator that cannot be delivered at once is worthless.
    if (!conversation.dismissed) {
      fanOut.typing({ conversationId, userId, ttlMs }, socket);
    }
  }
}

/** Live read positions cost a message per member per read: only small conversations get them. */
export function sharesReceipts(conversation: CachedConversation): boolean {
  return conversation.type === 'single' || conversation.memberCount <= limits.receiptsMembersMax;
}

/** Tells the conversation's other members (and the user's other tabs) how far this member got. */
export function shareReceipt(
  fanOut: FanOut,
  socket: ImSocket,
  conversation: CachedConversation,
  receipt: Receipt,
): void {
  if (sharesReceipts(conversation)) fanOut.receipt(receipt, socket);
}
