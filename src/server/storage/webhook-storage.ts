/**
 * The webhooks part of the storage contract: the endpoints the host registered and the
 * queue of deliveries, kept in storage so that they survive a restart. Deliveries to one
 * endpoint with the same `orderKey` (one conversation) go out one at a time, in the
 * order they were queued: only the oldest pending one of each such queue is due.
 */

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

export interface WebhookStorage {
  saveWebhook(endpoint: WebhookEndpoint): Promise<void>;
  listWebhooks(): Promise<WebhookEndpoint[]>;
  /** Also drops its queued deliveries. False if there was none with this id. */
  deleteWebhook(id: string): Promise<boolean>;
  /** One delivery per endpoint, due at once. Idempotent per (endpoint, event id). */
  enqueueWebhookEvent(event: WebhookEvent, webhookIds: readonly string[]): Promise<void>;
  /**
   * Due deliveries (next attempt at or before `now`), each the oldest pending one of its
   * (endpoint, orderKey) queue, oldest first; `excluding` those already being sent.
   */
  dueWebhookDeliveries(input: { now: number; limit: number; excluding: readonly string[] }): Promise<WebhookDelivery[]>;
  /** When the next pending delivery is due, or null when none waits. */
  nextWebhookAttemptAt(): Promise<number | null>;
  /** Delivered: never sent again. */
  completeWebhookDelivery(deliveryId: string): Promise<void>;
  /**
   * An attempt failed: try again at `retryAt`, or, with null, give up on it (it is kept
   * as failed, and the next one of its queue becomes due).
   */
  failWebhookDelivery(deliveryId: string, input: { error: string; retryAt: number | null }): Promise<void>;
  /** Deliveries given up on, newest first. */
  listFailedWebhookDeliveries(webhookId: string, limit: number): Promise<FailedWebhookDelivery[]>;
}
