import type { FastifyBaseLogger } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';
import type { WebhookDelivery } from '../storage/webhooks/contract.js';

export interface WebhookDeliveryOptions {
  /** Wait before the first retry; each further one waits twice as long. Default 10 s. */
  retryBaseMs?: number;
  /** Longest wait between two attempts. Default 6 hours. */
  retryMaxMs?: number;
  /** Attempts before a delivery is given up on. Default 15 (over about a day). */
  maxAttempts?: number;
  /** How long a receiver may take to answer. Default 10 s. */
  timeoutMs?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
}

export interface WebhookDispatcherOptions extends WebhookDeliveryOptions {
  storage: Pick<Storage, 'webhooks'>;
  clock: Clock;
  logger: FastifyBaseLogger;
}

/**
 * Posts queued deliveries, signed as Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`: HMAC-SHA256 over id, timestamp and body). A 2xx answer completes a
 * delivery; anything else is retried with exponential backoff. Only the oldest pending
 * delivery of each conversation's queue is due, so one conversation's events arrive in order.
 */
export class WebhookDispatcher {
  readonly #options: Required<WebhookDeliveryOptions>;
  readonly #inFlight = new Map<string, AbortController>();
  readonly #settled = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #again = false;
  #stopped = true;

  constructor(private readonly deps: WebhookDispatcherOptions) {
    this.#options = {
      retryBaseMs: deps.retryBaseMs ?? 10_000,
      retryMaxMs: deps.retryMaxMs ?? 6 * 60 * 60_000,
      maxAttempts: deps.maxAttempts ?? 15,
      timeoutMs: deps.timeoutMs ?? 10_000,
      concurrency: deps.concurrency ?? 8,
    };
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Looks for due deliveries now (something was queued). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#pumping = true;
    void this.#pump().finally(() => {
      this.#pumping = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Cuts requests in flight (they stay queued, for the next start) and waits for them. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const controller of this.#inFlight.values()) controller.abort();
    await Promise.all(this.#settled);
  }

  async #pump(): Promise<void> {
    try {
      const room = this.#options.concurrency - this.#inFlight.size;
      if (room <= 0) return;
      const due = await this.deps.storage.webhooks.read.due({
        now: this.deps.clock.now(),
        limit: room,
        excluding: [...this.#inFlight.keys()],
      });
      for (const delivery of due) this.#send(delivery);
      if (due.length === 0 && this.#inFlight.size === 0) await this.#sleepUntilNext();
    } catch (error) {
      if (this.#stopped) return;
      this.deps.logger.error({ err: error }, 'webhook queue unreadable; trying again shortly');
      this.#timer = setTimeout(() => this.wake(), this.#options.retryBaseMs).unref();
    }
  }

  async #sleepUntilNext(): Promise<void> {
    const next = await this.deps.storage.webhooks.read.nextAttemptAt();
    if (next === null || this.#stopped) return;
    const wait = Math.max(0, next - this.deps.clock.now());
    this.#timer = setTimeout(() => this.wake(), Math.min(wait, 2 ** 31 - 1)).unref();
  }

  #send(delivery: WebhookDelivery): void {
    const controller = new AbortController();
    this.#inFlight.set(delivery.id, controller);
    const settled = this.#attempt(delivery, controller.signal)
      .catch((error: unknown) => {
        if (!this.#stopped) this.deps.logger.error({ err: error, deliveryId: delivery.id }, 'webhook bookkeeping failed');
      })
      .finally(() => {
        this.#inFlight.delete(delivery.id);
        this.#settled.delete(settled);
        this.wake();
      });
    this.#settled.add(settled);
  }

  async #attempt(delivery: WebhookDelivery, signal: AbortSignal): Promise<void> {
    const failure = await this.#post(delivery, signal);
    if (this.#stopped) return;
    if (failure === null) {
      await this.deps.storage.webhooks.write.complete(delivery.id);
      return;
    }
    const attempts = delivery.attempts + 1;
    const { retryBaseMs, retryMaxMs, maxAttempts } = this.#options;
    const retryAt =
      attempts >= maxAttempts ? null : this.deps.clock.now() + Math.min(retryBaseMs * 2 ** (attempts - 1), retryMaxMs);
    if (retryAt === null) {
      this.deps.logger.warn({ eventId: delivery.eventId, url: delivery.url, failure }, 'webhook delivery given up');
    }
    await this.deps.storage.webhooks.write.fail(delivery.id, { error: failure, retryAt });
  }

  /** Null on a 2xx answer, else what went wrong. */
  async #post(delivery: WebhookDelivery, signal: AbortSignal): Promise<string | null> {
    const sentAt = new Date(this.deps.clock.now());
    const signature = new Webhook(delivery.secret).sign(delivery.eventId, sentAt, delivery.payload);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'im-chat-webhooks/1',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: delivery.payload,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)]),
      });
      // The body is not read: what the receiver says does not matter, only that it took it.
      await response.body?.cancel();
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
