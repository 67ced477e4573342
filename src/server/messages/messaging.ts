import {
  limits,
  quoteOf,
  type ConversationType,
  type Message,
  type MessageBody,
  type MessageChangeResult,
  type OutgoingBody,
  type ReactResult,
  type ReplyRef,
  type SendMessageResult,
  type TextBody,
} from '../../protocol/index.js';
import type { DomainDeps } from '../domain/deps.js';
import { CommandError } from '../errors.js';
import { resolveAttachment } from '../files/attachments.js';
import { authorizePost } from '../groups/posting.js';
import { isManager } from '../groups/model.js';
import type { HistoryQuery } from '../storage/messages/contract.js';
import type { ImSocket } from '../types.js';
import type { MessageChangeInput } from './change-decisions.js';
import { decideContactCard } from './contact-card.js';

export interface SendInput {
  conversationId: string;
  senderId: string;
  clientId: string;
  body: OutgoingBody;
  replyToSeq?: number | undefined;
}

interface ChangeInput {
  conversationId: string;
  actorId: string;
  clientId: string;
  seq: number;
}

/** Which part of a timeline to read: before or after a seq, at most `limit` entries. */
export type HistoryPage = Omit<HistoryQuery, 'maxSeq'>;

/** The connection a command came from: it gets the ack, not the broadcast. */
export interface CommandOrigin {
  socket: ImSocket;
  /** Answers the command at once (see EventStream.publish for why it cannot wait). */
  acknowledge(data: unknown): void;
}

/**
 * Sending, changing and reading messages, for socket commands and the admin API alike.
 * Who may post, recall and edit is decided from memory here (groups/posting.ts), the rest
 * in the storage's transaction (append-decision.ts, change-decisions.ts).
 */
export class Messaging {
  constructor(private readonly deps: DomainDeps) {}

  async send(input: SendInput, origin?: CommandOrigin): Promise<SendMessageResult> {
    const { storage, membership, clock, events } = this.deps;
    const { conversationId, senderId, clientId, body, replyToSeq } = input;
    let allowed: OutgoingBody;
    let members: ReadonlyMap<string, unknown> = new Map();
    let conversationType: ConversationType = 'single';
    try {
      const { conversation, member } = await membership.requireMember(conversationId, senderId);
      members = conversation.members;
      conversationType = conversation.type;
      allowed = authorizePost(conversation, member, body);
    } catch (error) {
      // A retry of a message stored before the sender lost the right still gets its
      // original ack: sends stay idempotent.
      const original = error instanceof CommandError ? await storage.messages.read.find(senderId, clientId) : null;
      if (original) return { message: original, duplicate: true };
      throw error;
    }
    const replyTo = replyToSeq === undefined ? undefined : await this.#quote(conversationId, replyToSeq);
    const result = await storage.messages.write.append({
      conversationId,
      senderId,
      clientId,
      body: await this.#resolveBody(senderId, conversationId, allowed),
      createdAt: clock.now(),
      ...(replyTo ? { replyTo } : {}),
    });
    // Durable now. A retried send was delivered the first time.
    const entry = { type: 'entry.added', conversationId, entry: result.message } as const;
    if (result.duplicate) await events.republish(entry);
    else {
      await events.publish(
        { ...entry, origin: origin?.socket, audience: { conversationType, memberIds: [...members.keys()] } },
        { acknowledge: origin && (() => origin.acknowledge(result)) },
      );
    }
    return result;
  }

  /** The sender's own recall within the window; a group's owner and admins any message. */
  async recall(input: ChangeInput, origin?: CommandOrigin): Promise<MessageChangeResult> {
    const { conversation, member } = await this.deps.membership.requireMember(input.conversationId, input.actorId);
    if (conversation.dismissed) throw new CommandError('group_dismissed', 'the group was dismissed');
    const privileged = conversation.type === 'group' && isManager(member.role);
    return this.#change(input, { type: 'recall', privileged, windowMs: limits.recallWindowMs }, origin);
  }

  async edit(input: ChangeInput & { text: TextBody }, origin?: CommandOrigin): Promise<MessageChangeResult> {
    const { conversation, member } = await this.deps.membership.requireMember(input.conversationId, input.actorId);
    // Editing is posting: the same mutes, mention rules and blocks apply.
    const text = authorizePost(conversation, member, input.text);
    return this.#change(input, { type: 'edit', text }, origin);
  }

  /**
   * Puts an emoji on a message or takes it back. Any member may, whoever wrote it and
   * whatever the group's mutes: a reaction says nothing new. Nothing changed, nothing sent.
   */
  async react(
    input: { conversationId: string; actorId: string; seq: number; emoji: string; on: boolean },
    origin?: CommandOrigin,
  ): Promise<ReactResult> {
    const { storage, clock, events, membership } = this.deps;
    await membership.requireMember(input.conversationId, input.actorId);
    const result = await storage.messages.write.react({ ...input, createdAt: clock.now() });
    if (result.event) {
      await events.publish(
        { type: 'entry.added', conversationId: input.conversationId, entry: result.event, origin: origin?.socket },
        { acknowledge: origin && (() => origin.acknowledge(result)) },
      );
    }
    return result;
  }

  /** The host removes any message (moderation): recalled for everyone, at any time. */
  async moderate(input: Omit<ChangeInput, 'actorId'>): Promise<MessageChangeResult> {
    const target = await this.deps.storage.messages.read.at(input.conversationId, input.seq);
    if (!target) throw new CommandError('not_found', 'no such message');
    return this.#change(
      { ...input, actorId: target.senderId },
      { type: 'recall', privileged: true, windowMs: limits.recallWindowMs, moderated: true },
    );
  }

  /** A page of history as the user may read it: a former member's ends where their membership did. */
  async history(conversationId: string, userId: string, page: HistoryPage): Promise<{ messages: Message[]; hasMore: boolean }> {
    const maxSeq = await this.deps.membership.requireReader(conversationId, userId);
    return this.deps.storage.messages.read.history(conversationId, { ...page, maxSeq, viewerId: userId });
  }

  /** A page of history as the host sees it: all of it. */
  async hostHistory(conversationId: string, page: HistoryPage): Promise<{ messages: Message[]; hasMore: boolean }> {
    if (!(await this.deps.storage.conversations.read.get(conversationId))) {
      throw new CommandError('not_found', 'no such conversation');
    }
    return this.deps.storage.messages.read.history(conversationId, page);
  }

  async #change(
    input: ChangeInput,
    change: MessageChangeInput['change'],
    origin?: CommandOrigin,
  ): Promise<MessageChangeResult> {
    const { storage, clock, events } = this.deps;
    const result = await storage.messages.write.change({ ...input, createdAt: clock.now(), change });
    const entry = { type: 'entry.added', conversationId: input.conversationId, entry: result.event } as const;
    if (result.duplicate) await events.republish(entry);
    else {
      await events.publish(
        { ...entry, origin: origin?.socket },
        { acknowledge: origin && (() => origin.acknowledge(result)) },
      );
    }
    return result;
  }

  /** The body to store: text as sent, attachments and contact cards filled from the server's records. */
  async #resolveBody(senderId: string, conversationId: string, body: OutgoingBody): Promise<MessageBody> {
    if (body.type === 'text') return body;
    if (body.type === 'contact') {
      const { storage } = this.deps;
      const [[user], visitor] = await Promise.all([
        storage.accounts.read.users([body.userId]),
        storage.support.read.getVisitor(body.userId),
      ]);
      return decideContactCard(body.userId, user, visitor !== null);
    }
    if (body.type === 'history') throw new CommandError('invalid_payload', 'merged chat histories are not taken yet');
    return resolveAttachment(this.deps, { userId: senderId, conversationId, body });
  }

  /** What a reply shows of the message it quotes, as that message is now. */
  async #quote(conversationId: string, seq: number): Promise<ReplyRef> {
    const quoted = await this.deps.storage.messages.read.at(conversationId, seq);
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
}
