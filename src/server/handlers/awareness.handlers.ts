import { limits, type Receipt } from '../../protocol/index.js';
import type { CachedConversation } from '../membership.js';
import type { FanOut } from '../fan-out/fan-out.js';
import { sharesReceipts } from '../reads/read-state.js';
import type { ImSocket } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

/** How far members got (delivered, read) and who is typing. */
export function createAwarenessHandlers({
  membership,
  fanOut,
  reads,
}: HandlerDeps): CommandHandlers<
  'conversation:delivered' | 'conversation:receipts' | 'typing:start' | 'typing:stop'
> {
  return {
    async 'conversation:delivered'({ conversationId, seq }, { socket, user }) {
      const { conversation, ...mark } = await reads.markDelivered(conversationId, user.id, seq);
      if (mark.changed && !conversation.blocked) {
        const { deliveredSeq, readSeq } = mark;
        shareReceipt(fanOut, socket, conversation, { conversationId, userId: user.id, deliveredSeq, readSeq });
      }
      return { deliveredSeq: mark.deliveredSeq };
    },

    async 'conversation:receipts'({ conversationId }, { user }) {
      return { receipts: await reads.receipts(conversationId, user.id) };
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
    if (!conversation.dismissed && !conversation.blocked) {
      fanOut.typing({ conversationId, userId, ttlMs }, socket);
    }
  }
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
