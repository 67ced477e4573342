import { liveQuery, type Subscription } from 'dexie';
import {
  ErrorCode,
  retryableErrorCodes,
  toOutgoing,
  type ComposedBody,
  type ReplyRef,
} from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { OutboxEntry } from './cache/db.js';
import { systemClock, type Clock } from './clock.js';
import type { Connection } from './connection.js';
import { ChatError, LocalErrorCode } from './errors.js';

export interface OutboxOptions {
  /** Attempts that reach the server without an ack before a message is marked failed. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 30 s. */
  retryDelayMs?: number;
  requestTimeoutMs?: number;
  /** Stamps messages and schedules retries; default the system clock. */
  clock?: Clock;
}

/**
 * Sends what the user wrote, in the order it was written, exactly once: every message
 * carries its clientId, so a resend after a lost ack returns the original from the server.
 *
 * One tab at a time sends (a Web Lock per cache); the others write to the shared outbox
 * and the sending tab sees it through liveQuery.
 */
export class Outbox {
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #requestTimeoutMs: number;
  readonly #clock: Clock;
  #subscription: Subscription | null = null;
  #abort = new AbortController();
  #draining = false;
  #cancelRetry: (() => void) | undefined;
  #notBefore = 0;

  constructor(
    private readonly cache: ChatCache,
    private readonly connection: Connection,
    options: OutboxOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 1_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Writes a message to the outbox; it shows in the timeline at once as pending. */
  async enqueue(conversationId: string, body: ComposedBody, replyTo?: ReplyRef): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      clientId: crypto.randomUUID(),
      conversationId,
      senderId: this.cache.userId,
      body,
      createdAt: this.#clock.now(),
      status: 'pending',
      attempts: 0,
      error: null,
      ...(replyTo ? { replyTo } : {}),
    };
    await this.cache.db.outbox.add(entry);
    return entry;
  }

  /** Puts a failed message back in line, at its original place. */
  async retry(clientId: string): Promise<void> {
    await this.cache.db.outbox
      .where('clientId')
      .equals(clientId)
      .modify({ status: 'pending', attempts: 0, error: null });
  }

  /** Drops an unsent message. */
  async discard(clientId: string): Promise<void> {
    await this.cache.db.outbox.where('clientId').equals(clientId).delete();
  }

  start(): void {
    const { signal } = this.#abort;
    const run = () =>
      new Promise<void>((release) => {
        signal.addEventListener('abort', () => release(), { once: true });
        this.#subscription = liveQuery(() => this.#nextPending()).subscribe({
          next: () => this.wake(),
          error: () => this.wake(),
        });
      });
    if (typeof navigator !== 'undefined' && navigator.locks) {
      navigator.locks
        .request(`${this.cache.db.name}:outbox`, { signal }, run)
        .catch(() => undefined); // aborted while waiting for the lock
    } else {
      void run();
    }
  }

  stop(): void {
    this.#abort.abort();
    this.#abort = new AbortController();
    this.#subscription?.unsubscribe();
    this.#subscription = null;
    this.#cancelRetry?.();
  }

  /** Call when something changed that may let sending proceed (e.g. back online). */
  wake(): void {
    if (!this.#subscription) return;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#subscription && this.connection.state === 'connected') {
        const wait = this.#notBefore - this.#clock.now();
        if (wait > 0) {
          this.#cancelRetry?.();
          this.#cancelRetry = this.#clock.after(wait, () => this.wake());
          return;
        }
        const entry = await this.#nextPending();
        if (!entry) return;
        if (!(await this.#attempt(entry))) return;
      }
    } finally {
      this.#draining = false;
    }
  }

  /** Returns false when sending must pause (offline, or waiting to retry). */
  async #attempt(entry: OutboxEntry): Promise<boolean> {
    try {
      const { message } = await this.connection.request(
        'message:send',
        {
          conversationId: entry.conversationId,
          clientId: entry.clientId,
          body: toOutgoing(entry.body),
          ...(entry.replyTo ? { replyToSeq: entry.replyTo.seq } : {}),
        },
        this.#requestTimeoutMs,
      );
      await this.cache.applyMessages([message]);
      return true;
    } catch (caught) {
      const error =
        caught instanceof ChatError ? caught : new ChatError(ErrorCode.Internal, String(caught));
      if (error.code === LocalErrorCode.Offline || error.code === ErrorCode.TokenExpired) {
        return false; // resent after reconnecting; an outage does not count as an attempt
      }
      const retryable = error.code === LocalErrorCode.Timeout || retryableErrorCodes.has(error.code);
      const attempts = entry.attempts + 1;
      if (!retryable || attempts >= this.#maxAttempts) {
        await this.#update(entry, { status: 'failed', attempts, error: error.toProtocolError() });
        return true;
      }
      await this.#update(entry, { attempts, error: error.toProtocolError() });
      const backoff = Math.min(this.#retryDelayMs * 2 ** (attempts - 1), 30_000);
      this.#notBefore = this.#clock.now() + Math.max(backoff, error.retryAfterMs ?? 0);
      return true;
    }
  }

  async #update(entry: OutboxEntry, changes: Partial<OutboxEntry>): Promise<void> {
    await this.cache.db.outbox.where('clientId').equals(entry.clientId).modify(changes);
  }

  #nextPending(): Promise<OutboxEntry | undefined> {
    return this.cache.db.outbox
      .orderBy('order')
      .filter((entry) => entry.status === 'pending')
      .first();
  }
}
