import { quoteOf, type OutgoingBody, type ReplyRef } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { resolveAttachment } from '../files/attachments.js';
import { authorizePost } from '../groups/posting.js';
import type { Storage } from '../storage/storage.js';
import { conversationRoom } from '../types.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

export function createMessageHandlers({
  storage,
  membership,
  clock,
  push,
  support,
}: HandlerDeps): CommandHandlers<'message:send' | 'message:history'> {
  return {
    async 'message:send'({ conversationId, clientId, body, replyToSeq }, { socket, user }) {
      let allowed: OutgoingBody;
      let members: ReadonlyMap<string, unknown> = new Map();
      let isSupport = false;
      try {
        const { conversation, member } = await membership.requireMember(conversationId, user.id);
        members = conversation.members;
        isSupport = conversation.type === 'support';
        allowed = authorizePost(conversation, member, body);
      } catch (error) {
        // A retry of a message stored before the sender lost the right still gets its
        // original ack: sends stay idempotent.
        const original =
          error instanceof CommandError ? await storage.findMessage(user.id, clientId) : null;
        if (original) return { message: original, duplicate: true };
        throw error;
      }
      const replyTo =
        replyToSeq === undefined ? undefined : await quote(storage, conversationId, replyToSeq);
      const result = await storage.appendMessage({
        conversationId,
        senderId: user.id,
        clientId,
        body: allowed.type === 'text'
          ? allowed
          : await resolveAttachment({ storage, membership, clock }, { userId: user.id, conversationId, body: allowed }),
        createdAt: clock.now(),
        ...(replyTo ? { replyTo } : {}),
      });
      // Durable now. Everyone else in the room, the sender's other tabs included, gets it
      // live; this socket gets the ack. A retried send was broadcast the first time.
      if (!result.duplicate) {
        socket.to(conversationRoom(conversationId)).emit('message:new', result.message);
        // Neither delays the ack.
        if (isSupport) support.messageSent(result.message, members.keys());
        else void push.notifyMessage(result.message, members.keys());
      }
      return result;
    },

    async 'message:history'({ conversationId, beforeSeq, afterSeq, limit }, { user }) {
      const maxSeq = await membership.requireReader(conversationId, user.id);
      return storage.getMessages(conversationId, { beforeSeq, afterSeq, limit, maxSeq });
    },
  };
}

/** What a reply shows of the message it quotes, as that message is now. */
async function quote(storage: Storage, conversationId: string, seq: number): Promise<ReplyRef> {
  const quoted = await storage.getMessage(conversationId, seq);
  if (!quoted) {
    throw new CommandError('invalid_payload', 'the message replied to does not exist', {
      issues: [{ path: 'replyToSeq', message: 'no message with this seq' }],
    });
  }
  const ref = quoteOf(seq, quoted.senderId, quoted.body);
  if (!ref) {
    throw new CommandError('invalid_payload', 'only messages can be replied to, not events', {
      issues: [{ path: 'replyToSeq', message: 'is an event, not a message' }],
    });
  }
  return ref;
}
