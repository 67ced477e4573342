import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { EventSubscriber } from '../events/event-stream.js';
import type { CommittedEvent } from '../events/events.js';
import type { Storage } from '../storage/storage.js';
import type { FailedWebhookDelivery, WebhookEndpoint } from '../storage/webhooks/contract.js';
import { WebhookDispatcher, type WebhookDeliveryOptions } from './dispatcher.js';
import {
  webhookEventsOf,
  type PendingWebhookEvent,
  type WebhookEventType,
  type WebhookPayload,
} from './events.js';

export interface WebhooksOptions {
  storage: Pick<Storage, 'webhooks'>;
  clock: Clock;
  logger: FastifyBaseLogger;
  delivery?: WebhookDeliveryOptions;
}

/**
 * The host's webhook endpoints and the events they receive. Endpoints are kept in memory
 * (one process per storage, as the membership cache), so that an event nobody subscribed
 * to costs nothing; an event somebody wants is queued in storage before the command that
 * made it is acknowledged (the event stream's record stage), then delivered by the dispatcher.
 */
export class Webhooks implements EventSubscriber {
  #endpoints: WebhookEndpoint[] = [];
  readonly #dispatcher: WebhookDispatcher;

  constructor(private readonly options: WebhooksOptions) {
    this.#dispatcher = new WebhookDispatcher({ ...options, ...options.delivery });
  }

  /** Loads the endpoints and starts delivering what the queue holds (from before a restart too). */
  async start(): Promise<void> {
    this.#endpoints = await this.options.storage.webhooks.read.list();
    this.#dispatcher.start();
  }

  stop(): Promise<void> {
    return this.#dispatcher.stop();
  }

  /** A new endpoint with a fresh signing secret. */
  async register(input: { url: string; events: readonly WebhookEventType[] }): Promise<WebhookEndpoint> {
    const endpoint: WebhookEndpoint = {
      id: `wh_${randomBytes(12).toString('base64url')}`,
      url: input.url,
      events: [...new Set(input.events)],
      secret: `whsec_${randomBytes(24).toString('base64')}`,
      createdAt: this.options.clock.now(),
    };
    await this.options.storage.webhooks.write.save(endpoint);
    this.#endpoints = [...this.#endpoints, endpoint];
    return endpoint;
  }

  list(): readonly WebhookEndpoint[] {
    return this.#endpoints;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.options.storage.webhooks.write.delete(id);
    this.#endpoints = this.#endpoints.filter((endpoint) => endpoint.id !== id);
    return removed;
  }

  /** The newest deliveries given up on after every retry; `not_found` for an unknown endpoint. */
  async failures(id: string, limit: number): Promise<FailedWebhookDelivery[]> {
    if (!this.#endpoints.some((endpoint) => endpoint.id === id)) throw new CommandError('not_found', 'no such webhook');
    return this.options.storage.webhooks.read.failed(id, limit);
  }

  wants(type: WebhookEventType): boolean {
    return this.#endpoints.some((endpoint) => endpoint.events.includes(type));
  }

  /** Queues the event for every endpoint that wants it; once per endpoint and event id. */
  async emit(event: PendingWebhookEvent): Promise<void> {
    const targets = this.#endpoints.filter((endpoint) => endpoint.events.includes(event.type));
    if (targets.length === 0) return;
    const createdAt = this.options.clock.now();
    const payload: WebhookPayload = { id: event.id, type: event.type, createdAt, data: event.data };
    await this.options.storage.webhooks.write.enqueue(
      { id: event.id, type: event.type, orderKey: event.orderKey, payload: JSON.stringify(payload), createdAt },
      targets.map((endpoint) => endpoint.id),
    );
    this.#dispatcher.wake();
  }

  /** Queues the webhook events a committed event makes (a new message, a member joining, a case resolved...). */
  record(event: CommittedEvent): Promise<void> | undefined {
    // Every message passes here: with no endpoint, nothing is built for none.
    if (this.#endpoints.length === 0) return undefined;
    return this.#emitAll(webhookEventsOf(event));
  }

  async #emitAll(events: readonly PendingWebhookEvent[]): Promise<void> {
    for (const event of events) await this.emit(event);
  }
}
