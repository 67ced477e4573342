/** Webhook rows as both storages select them: named as their records (contract.ts) already. */
import type { WebhookEndpoint } from './contract.js';

export interface EndpointRow {
  id: string;
  url: string;
  /** JSON array of event types. */
  events: string;
  secret: string;
  createdAt: number;
}

export const endpointColumns = 'id, url, events, secret, created_at AS "createdAt"';

/** Of `webhook_deliveries d JOIN webhooks w`; ids as text, as the records have them. */
export const deliveryColumns = `CAST(d.id AS text) AS id, d.webhook_id AS "webhookId", w.url, w.secret,
  d.event_id AS "eventId", d.event_type AS "eventType", d.order_key AS "orderKey", d.payload, d.attempts`;

export const failedDeliveryColumns =
  'event_id AS "eventId", event_type AS "eventType", attempts, last_error AS "lastError", payload';

export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return { ...row, events: JSON.parse(row.events) as string[] };
}
