import {
  ErrorCode,
  historyItemOf,
  isAttachment,
  historyLimitPassed,
  historySourceOf,
  limits,
  mergeHistory,
  quoteOf,
  type ComposedBody,
  type MessageBody,
  type PlayersResult,
  type ReadersResult,
  type ReplyRef,
  type TextBody,
  type User,
} from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { OutboxEntry, UnsentPlay } from './cache/db.js';
import type { Connection } from './connection.js';
import { ChatError, LocalErrorCode } from './errors.js';
import type { Outbox } from './outbox.js';

/** A message as the UI holds it: a timeline entry or a stored message. */
export interface MessageRef {
  conversationId: string;
  seq: number;
  senderId: string;
  body: MessageBody;
}

/**
 * What can be done with a message after it was sent: recall, edit, react, forward (one by one
 * or as one chat history), hide,
 * reply references, readers. Recall, edit and reactions need a connection (they fail with `offline`
 * rather than wait); their result is applied to the cache at once.
 */
export class MessageActions {
  constructor(
    private readonly connection: Connection,
    private readonly cache: () => ChatCache,
    private readonly outbox: () => Outbox,
  ) {}

  /**
   * Recalls a message: everyone sees "message recalled". The sender may do so within
   * `limits.recallWindowMs`; a group's owner and admins at any time.
   */
  async recall(conversationId: string, seq: number): Promise<void> {
    const result = await this.connection.request('message:recall', {
      conversationId,
      clientId: crypto.randomUUID(),
      seq,
    });
    await this.cache().applyMessages([result.target, result.event]);
  }

  /** Replaces the text of one's own text message; it shows as edited. */
  async edit(
    conversationId: string,
    seq: number,
    text: string,
    mentions: Pick<TextBody, 'mentions' | 'mentionAll'> = {},
  ): Promise<void> {
    const result = await this.connection.request('message:edit', {
      conversationId,
      clientId: crypto.randomUUID(),
      seq,
      text: textBody(text, mentions),
    });
    await this.cache().applyMessages([result.target, result.event]);
  }

  /**
   * Puts an emoji on a message (`on`) or takes it back; everyone in the conversation sees
   * it, and the user's other devices. Needs a connection. Refused with `reaction_limit`
   * past `limits.reactionEmojiMax` emoji on a message or `limits.reactionsPerUserMax` of
   * the user's own.
   */
  async react(conversationId: string, seq: number, emoji: string, on: boolean): Promise<void> {
    const result = await this.connection.request('message:react', { conversationId, seq, emoji, on });
    await this.cache().applyMessages(result.event ? [result.target, result.event] : [result.target]);
  }

  /**
   * Marks someone else's voice message as played, here at once and, once the server has it,
   * on the user's other devices and for its sender. Call it when playback starts; playing
   * it again changes nothing. Offline, the play waits on this device and goes with the next
   * catch-up, so that the sender learns of it all the same.
   */
  async played(conversationId: string, seq: number): Promise<void> {
    const play = { conversationId, seq };
    await this.cache().recordPlay(play);
    await sendPlay(this.connection, this.cache(), play);
  }

  /** Who has played the user's own voice message, the most recent first, with their profiles. Needs a connection. */
  async players(conversationId: string, seq: number): Promise<PlayersResult> {
    const result = await this.connection.request('message:players', { conversationId, seq });
    await this.cache().putUsers(result.users);
    return result;
  }

  /**
   * Sends a copy of a message to another conversation, through the outbox (so it is
   * delivered exactly once, even offline). Attachments travel as the same file; a chat
   * history as itself (the server copies it).
   */
  forward(message: MessageRef, toConversationId: string): Promise<OutboxEntry> {
    const { body } = message;
    if (body.type === 'history') {
      const source = { conversationId: message.conversationId, seqs: [message.seq] };
      return this.outbox().enqueue(toConversationId, { ...body, source });
    }
    if (body.type !== 'text' && body.type !== 'contact' && !isAttachment(body)) {
      throw new ChatError('invalid_payload', 'Only messages people write can be forwarded, not events or recalled messages.');
    }
    // Mentions name members of the original conversation: a forwarded copy carries none.
    const copy: ComposedBody = body.type === 'text' ? { type: 'text', text: body.text } : body;
    return this.outbox().enqueue(toConversationId, copy);
  }

  /**
   * Forwards messages of one conversation into another as one merged chat history
   * ("Chat history of Alice and Bob"), through the outbox like `forward`. Until the server's
   * copy arrives, the timeline shows the history as made from the messages on this device;
   * the server makes the one everyone gets from its own records. One seq naming a history
   * forwards that history. Refused at once with `invalid_payload` for recalled messages and
   * events, `not_found` for messages not on this device, `history_too_large` past the limits.
   *
   * @example
   * await client.messages.forwardHistory(withBob, [12, 15, 16], withCarol);
   */
  async forwardHistory(fromConversationId: string, seqs: readonly number[], toConversationId: string): Promise<OutboxEntry> {
    const ordered = [...new Set(seqs)].sort((a, b) => a - b);
    if (ordered.length === 0 || ordered.length > limits.historyItemsMax) {
      throw new ChatError('invalid_payload', `A chat history holds 1 to ${limits.historyItemsMax} messages.`);
    }
    const cache = this.cache();
    const [conversation, messages] = await Promise.all([
      cache.conversation(fromConversationId),
      cache.messagesAt(fromConversationId, ordered),
    ]);
    if (!conversation || messages.length !== ordered.length) {
      throw new ChatError('not_found', 'Some of these messages are not on this device.');
    }
    const items = messages.map((message) => {
      const item = historyItemOf(message);
      if (typeof item === 'string') throw new ChatError('invalid_payload', 'Recalled messages and events cannot be forwarded.');
      return item;
    });
    const senderIds = [...new Set(items.map((item) => item.senderId))];
    const senders = (await cache.db.users.bulkGet(senderIds)).filter((user) => user !== undefined);
    const history = mergeHistory(items, historySourceOf(conversation, cache.userId), senders);
    const passed = historyLimitPassed(history);
    if (passed) throw new ChatError(ErrorCode.HistoryTooLarge, passed);
    return this.outbox().enqueue(toConversationId, { ...history, source: { conversationId: fromConversationId, seqs: ordered } });
  }

  /**
   * Shares a person's contact (a user card) into a conversation, through the outbox. The
   * card shows `user` until the server's copy arrives, which it fills from its own record
   * (an unknown or deleted user is refused, and the message fails).
   *
   * @example
   * await client.messages.shareContact(conversationId, { id: 'carol', name: 'Carol', avatar: null });
   */
  shareContact(conversationId: string, user: Pick<User, 'id' | 'name' | 'avatar'>): Promise<OutboxEntry> {
    const { id, name, avatar } = user;
    return this.outbox().enqueue(conversationId, { type: 'contact', user: { id, name, avatar } });
  }

  /** Hides a message on this device only ("delete for me"). */
  async hideForMe(conversationId: string, messageId: string): Promise<void> {
    await this.cache().db.hiddenMessages.put({ id: messageId, conversationId });
  }

  /** What a reply to this message quotes; null for an event, which cannot be replied to. */
  replyRef(message: MessageRef): ReplyRef | null {
    return quoteOf(message.seq, message.senderId, message.body);
  }

  /** How many have read a group message, and some of them. Needs a connection. */
  async readers(conversationId: string, seq: number): Promise<ReadersResult> {
    return this.connection.request('message:readers', { conversationId, seq });
  }
}

/**
 * Tells the server of a play recorded on this device. Resolves false if it could not be
 * told now (offline, or no answer: the play stays recorded for the next catch-up, and
 * sending it again is harmless); a refusal (the message was recalled, say) drops it.
 */
export async function sendPlay(connection: Connection, cache: ChatCache, play: UnsentPlay): Promise<boolean> {
  try {
    await connection.request('message:played', play);
  } catch (error) {
    if (error instanceof ChatError && (error.code === LocalErrorCode.Offline || error.code === LocalErrorCode.Timeout)) {
      return false;
    }
    await cache.forgetUnsentPlay(play);
    throw error;
  }
  await cache.forgetUnsentPlay(play);
  return true;
}

/** A text body after the checks a server would make, so bad input fails here first. */
export function textBody(text: string, mentions: Pick<TextBody, 'mentions' | 'mentionAll'> = {}): TextBody {
  if (text.trim() === '') throw new ChatError('invalid_payload', 'The message is empty.');
  if (text.length > limits.textLength) {
    throw new ChatError('invalid_payload', `The message is longer than ${limits.textLength} characters.`);
  }
  const body: TextBody = { type: 'text', text };
  if (mentions.mentions?.length) body.mentions = [...new Set(mentions.mentions)];
  if (mentions.mentionAll) body.mentionAll = true;
  return body;
}
