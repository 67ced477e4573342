import {
  limits,
  type Conversation,
  type ConversationSettingsPayload,
  type Message,
  type Receipt,
  type TypingEvent,
} from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { CachedConversation, Draft } from './cache/db.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';

export type ConversationSettings = Omit<ConversationSettingsPayload, 'conversationId'>;

export interface ConversationActionEvents {
  /** Who is typing in a conversation changed; `userIds` is everyone typing there now. */
  typing: { conversationId: string; userIds: string[] };
}

/** Conversations whose receipts a catch-up refreshes at most (the most recent ones). */
const receiptRefreshMax = 30;

/** How long after a burst of incoming messages their delivery is reported (one report per burst). */
const deliveredDelayMs = 300;

/**
 * A member's own side of a conversation: settings (pin, mute, hide, mark unread) kept on
 * the server for all their devices, drafts kept in this device's cache, typing
 * indicators both ways, and receipts (how far the others got).
 */
export class ConversationActions {
  readonly #events = new Emitter<ConversationActionEvents>();
  /** conversationId -> userId -> when their indicator expires. */
  readonly #typing = new Map<string, Map<string, ReturnType<typeof setTimeout>>>();
  readonly #lastTypingSent = new Map<string, number>();
  readonly #deliveredTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly connection: Connection,
    private readonly cache: () => ChatCache | null,
  ) {
    // The cache may close (the user signed out) while an event is being written: drop it then.
    connection.on('conversation:changed', (conversation) => {
      this.#applyConversation(conversation).catch(() => {});
    });
    connection.on('conversation:receipt', (receipt) => {
      this.cache()?.mergeReceipts([receipt]).catch(() => {});
    });
    connection.on('typing', (event) => this.#showTyping(event));
  }

  on<K extends keyof ConversationActionEvents>(
    type: K,
    listener: (value: ConversationActionEvents[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /** Pins, mutes, hides or marks unread; applied to the cache from the server's answer. Needs a connection. */
  async setSettings(conversationId: string, settings: ConversationSettings): Promise<void> {
    const { conversation } = await this.connection.request('conversation:settings', {
      conversationId,
      ...settings,
    });
    await this.#applyConversation(conversation);
  }

  /** Keeps what the user is writing; an empty text (and no reply) removes the draft. */
  async saveDraft(draft: Omit<Draft, 'updatedAt'>): Promise<void> {
    const db = this.#requireCache().db;
    if (draft.text.trim() === '' && !draft.replyTo) await db.drafts.delete(draft.conversationId);
    else await db.drafts.put({ ...draft, updatedAt: Date.now() });
  }

  async draft(conversationId: string): Promise<Draft | undefined> {
    return this.#requireCache().db.drafts.get(conversationId);
  }

  /**
   * Tells the others the user is typing. Call on every keystroke: it sends at most one
   * event per `limits.typingRenewMs`, and nothing while offline.
   */
  typing(conversationId: string): void {
    const now = Date.now();
    if (now - (this.#lastTypingSent.get(conversationId) ?? 0) < limits.typingRenewMs) return;
    if (this.connection.state !== 'connected') return;
    this.#lastTypingSent.set(conversationId, now);
    this.connection.request('typing:start', { conversationId }).catch(() => undefined);
  }

  /**
   * The user emptied the composer (or sent what was in it): the others stop seeing them
   * type at once instead of when the indicator expires; typing again shows again at once.
   */
  stoppedTyping(conversationId: string): void {
    const sentAt = this.#lastTypingSent.get(conversationId);
    this.#lastTypingSent.delete(conversationId);
    if (sentAt === undefined || Date.now() - sentAt >= limits.typingTtlMs) return;
    if (this.connection.state !== 'connected') return;
    this.connection.request('typing:stop', { conversationId }).catch(() => undefined);
  }

  /** Who is typing in the conversation now (never the user themselves). */
  typists(conversationId: string): string[] {
    return [...(this.#typing.get(conversationId)?.keys() ?? [])];
  }

  /** Fetches every member's delivered and read position into the cache (read with `cache.receipts`). */
  async loadReceipts(conversationId: string): Promise<void> {
    const { receipts } = await this.connection.request('conversation:receipts', { conversationId });
    await this.#requireCache().mergeReceipts(receipts);
  }

  /**
   * After a time away, fetches the receipts that may have moved meanwhile: of the most
   * recent conversations whose newest message is the user's own and not yet read by
   * everyone as far as the cache knows. Live `conversation:receipt` events keep them
   * current from then on.
   */
  async refreshReceipts(conversations: readonly CachedConversation[]): Promise<void> {
    const cache = this.#requireCache();
    const candidates = conversations
      .filter((c) => c.lastMessage?.senderId === cache.userId && sharesReceipts(c))
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .slice(0, receiptRefreshMax);
    for (const conversation of candidates) {
      const known = await receiptsOf(cache, conversation.id);
      const others = known.filter((receipt) => receipt.userId !== cache.userId);
      if (others.length > 0 && others.every((receipt) => receipt.readSeq >= conversation.lastMessage!.seq)) continue;
      // One conversation refused (the user left it meanwhile) does not hold up the others.
      await this.loadReceipts(conversation.id).catch(() => {});
    }
  }

  /**
   * A message from someone else reached this device: the typist has stopped, and in a
   * single chat or support conversation the sender learns it was delivered (once per burst).
   */
  received(message: Message, reportsDelivery: boolean): void {
    this.#stopTyping(message.conversationId, message.senderId);
    if (!reportsDelivery) return;
    const { conversationId } = message;
    clearTimeout(this.#deliveredTimers.get(conversationId));
    this.#deliveredTimers.set(
      conversationId,
      setTimeout(() => {
        this.#deliveredTimers.delete(conversationId);
        void this.reportDelivered(conversationId, message.seq);
      }, deliveredDelayMs),
    );
  }

  /** Reports that everything up to `seq` reached this device. */
  async reportDelivered(conversationId: string, seq: number): Promise<void> {
    if (this.connection.state !== 'connected') return;
    try {
      await this.connection.request('conversation:delivered', { conversationId, seq });
    } catch {
      // Best effort: reading the conversation reports delivery too.
    }
  }

  stop(): void {
    for (const typists of this.#typing.values()) for (const timer of typists.values()) clearTimeout(timer);
    for (const timer of this.#deliveredTimers.values()) clearTimeout(timer);
    this.#typing.clear();
    this.#deliveredTimers.clear();
    this.#lastTypingSent.clear();
  }

  async #applyConversation(conversation: Conversation): Promise<void> {
    await this.cache()?.applyConversations([conversation], [], { reset: false });
  }

  #showTyping({ conversationId, userId, ttlMs }: TypingEvent): void {
    if (userId === this.cache()?.userId) return;
    if (ttlMs === 0) {
      this.#stopTyping(conversationId, userId);
      return;
    }
    const typists = this.#typing.get(conversationId) ?? new Map<string, ReturnType<typeof setTimeout>>();
    this.#typing.set(conversationId, typists);
    clearTimeout(typists.get(userId));
    typists.set(userId, setTimeout(() => this.#stopTyping(conversationId, userId), ttlMs));
    this.#events.emit('typing', { conversationId, userIds: [...typists.keys()] });
  }

  #stopTyping(conversationId: string, userId: string): void {
    const typists = this.#typing.get(conversationId);
    if (!typists?.has(userId)) return;
    clearTimeout(typists.get(userId));
    typists.delete(userId);
    this.#events.emit('typing', { conversationId, userIds: [...typists.keys()] });
  }

  #requireCache(): ChatCache {
    const cache = this.cache();
    if (!cache) throw new Error('the client has no user yet');
    return cache;
  }
}

/** Receipts of a conversation, for the UI (wrap in liveQuery). */
export function receiptsOf(cache: ChatCache, conversationId: string): Promise<Receipt[]> {
  return cache.db.receipts.where('conversationId').equals(conversationId).toArray();
}

/** The server shares members' read positions of single chats, support and groups up to a size. */
function sharesReceipts(conversation: CachedConversation): boolean {
  return conversation.type !== 'group' || conversation.memberCount <= limits.receiptsMembersMax;
}

/** Conversations whose senders see "delivered": a single chat's peer, a support conversation's other side. */
export function showsDelivery(conversation: { type: string }): boolean {
  return conversation.type === 'single' || conversation.type === 'support';
}
