/**
 * The webhooks area of storage: the endpoints the host registered and the
 * queue of deliveries, kept in storage so that they survive a restart. Deliveries to one
 * endpoint with the same `orderKey` (one conversation) go out one at a time, in the
 * order they were queued: only the oldest pending one of each such queue is due.
 */
import type { StorageArea } from '../area.js';

export interface WebhookEndpoint {
  /** Opaque, made by the caller. */
  id: string;
  url: string;
  /** Event types it receives. */
  events: string[];
  /** The signing secret, `whsec_` and base64. */
  secret: string;
  createdAt: number;
}

export interface WebhookEvent {
  /** Unique; an event queued twice for one endpoint is kept once. */
  id: string;
  type: string;
  /** Deliveries with the same key reach an endpoint in queue order. */
  orderKey: string;
  /** The JSON body to post. */
  payload: string;
  createdAt: number;
}

export interface WebhookDelivery {
  /** Opaque; increases in queue order. */
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  orderKey: string;
  payload: string;
  /** Attempts made before this one. */
  attempts: number;
}

export interface FailedWebhookDelivery {
  eventId: string;
  eventType: string;
  attempts: number;
  lastError: string | null;
  payload: string;
}

export interface WebhookReads {
  list(): Promise<WebhookEndpoint[]>;
  /**
   * Due deliveries (next attempt at or before `now`), each the oldest pending one of its
   * (endpoint, orderKey) queue, oldest first; `excluding` those already being sent.
   */
  due(input: { now: number; limit: number; excluding: readonly string[] }): Promise<WebhookDelivery[]>;
  /** When the next pending delivery is due, or null when none waits. */
  nextAttemptAt(): Promise<number | null>;
  /** Deliveries given up on, newest first. */
  failed(webhookId: string, limit: number): Promise<FailedWebhookDelivery[]>;
}

export interface WebhookWrites {
  save(endpoint: WebhookEndpoint): Promise<void>;
  /** Also drops its queued deliveries. False if there was none with this id. */
  delete(id: string): Promise<boolean>;
  /** One delivery per endpoint, due at once. Idempotent per (endpoint, event id). */
  enqueue(event: WebhookEvent, webhookIds: readonly string[]): Promise<void>;
  /** Delivered: never sent again. */
  complete(deliveryId: string): Promise<void>;
  /**
   * An attempt failed: try again at `retryAt`, or, with null, give up on it (it is kept
   * as failed, and the next one of its queue becomes due).
   */
  fail(deliveryId: string, input: { error: string; retryAt: number | null }): Promise<void>;
}

export type WebhookStorage = StorageArea<WebhookReads, WebhookWrites>;
