import { limits, type Message } from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { CachedConversation } from './cache/db.js';
import type { Connection } from './connection.js';
import { sendPlay } from './message-actions.js';

/** Beyond this many missed messages, catch-up fetches only the newest page; scrolling back fills the rest. */
const fullCatchUpLimit = 500;

/**
 * Keeps the cache in step with the server: conversation changes after the last cursor,
 * messages after the newest cached seq, and any gap that a live message reveals.
 */
export class Synchronizer {
  #running: Promise<void> | null = null;
  #again = false;
  readonly #fills = new Map<string, Promise<void>>();

  constructor(
    private readonly cache: ChatCache,
    private readonly connection: Connection,
  ) {}

  /** Runs a sync now, or once more after the one in progress. */
  sync(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#syncOnce();
        } while (this.#again);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** Stores a live message, fetching whatever came before it that this cache missed. */
  async receive(message: Message): Promise<void> {
    const known = await this.cache.conversation(message.conversationId);
    const unknown = await this.cache.applyMessages([message]);
    if (unknown.size > 0) {
      await this.sync();
      return;
    }
    if (known && message.seq > known.lastSeq + 1) {
      await this.fill(message.conversationId, known.lastSeq + 1, message.seq - 1);
    }
  }

  /** Makes sure seqs [fromSeq, toSeq] are cached, fetching the missing ones. */
  fill(conversationId: string, fromSeq: number, toSeq: number): Promise<void> {
    const from = Math.max(1, fromSeq);
    if (toSeq < from) return Promise.resolve();
    const key = `${conversationId}:${from}:${toSeq}`;
    const inFlight = this.#fills.get(key);
    if (inFlight) return inFlight;
    const fill = this.#fill(conversationId, from, toSeq).finally(() => this.#fills.delete(key));
    this.#fills.set(key, fill);
    return fill;
  }

  async #fill(conversationId: string, from: number, to: number): Promise<void> {
    if ((await this.cache.countRange(conversationId, from, to)) === to - from + 1) return;
    let afterSeq = from - 1;
    while (afterSeq < to) {
      const limit = Math.min(limits.historyPageMax, to - afterSeq);
      const { messages, hasMore } = await this.connection.request('message:history', {
        conversationId,
        afterSeq,
        limit,
      });
      await this.cache.applyMessages(messages);
      const last = messages.at(-1);
      if (!last || !hasMore) return;
      afterSeq = last.seq;
    }
  }

  async #syncOnce(): Promise<void> {
    let cursor = (await this.cache.syncCursor()) ?? null;
    const changed: CachedConversation[] = [];
    for (;;) {
      const page = await this.connection.request('conversation:sync', { cursor });
      changed.push(
        ...(await this.cache.applyConversations(page.conversations, page.users, {
          reset: page.reset,
          cursor: page.cursor,
        })),
      );
      await this.cache.applyPlays(page.plays ?? []);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    for (const conversation of changed) await this.#catchUp(conversation);
    await this.#sendUnsentReads();
    await this.#sendUnsentPlays();
  }

  async #catchUp(conversation: CachedConversation): Promise<void> {
    const cachedTo = await this.cache.maxSeq(conversation.id);
    const { lastSeq } = conversation;
    if (lastSeq <= cachedTo) return;
    const from = lastSeq - cachedTo > fullCatchUpLimit ? lastSeq - limits.historyPageDefault + 1 : cachedTo + 1;
    await this.fill(conversation.id, from, lastSeq);
  }

  /** Voice messages played here while offline: their senders learn of it now. */
  async #sendUnsentPlays(): Promise<void> {
    for (const play of await this.cache.unsentPlays()) {
      // Refused (recalled since, say): nothing to tell. Cut off again: the next catch-up.
      const sent = await sendPlay(this.connection, this.cache, play).catch(() => true);
      if (!sent) return;
    }
  }

  async #sendUnsentReads(): Promise<void> {
    for (const conversation of await this.cache.unsentReads()) {
      const { readSeq } = await this.connection.request('conversation:read', {
        conversationId: conversation.id,
        seq: conversation.readSeq,
      });
      await this.cache.advanceReadSeq(conversation.id, readSeq, true);
    }
  }
}
