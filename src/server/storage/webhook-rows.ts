/** Webhook rows as both storages read them, and their records (webhook-storage.ts). */
import type { FailedWebhookDelivery, WebhookDelivery, WebhookEndpoint } from './webhook-storage.js';

export interface EndpointRow {
  id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  secret: string;
  created_at: number;
}

export interface DeliveryRow {
  id: number;
  webhook_id: string;
  url: string;
  secret: string;
  event_id: string;
  event_type: string;
  order_key: string;
  payload: string;
  attempts: number;
}

export interface FailedDeliveryRow {
  event_id: string;
  event_type: string;
  attempts: number;
  last_error: string | null;
  payload: string;
}

export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    secret: row.secret,
    createdAt: row.created_at,
  };
}

export function toWebhookDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: String(row.id),
    webhookId: row.webhook_id,
    url: row.url,
    secret: row.secret,
    eventId: row.event_id,
    eventType: row.event_type,
    orderKey: row.order_key,
    payload: row.payload,
    attempts: row.attempts,
  };
}

export function toFailedDelivery(row: FailedDeliveryRow): FailedWebhookDelivery {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    attempts: row.attempts,
    lastError: row.last_error,
    payload: row.payload,
  };
}
