/** Webhook endpoints and their delivery queue on either backend. */
import { inList, sql, type SqlDatabase } from '../sql/sql.js';
import type { FailedWebhookDelivery, WebhookDelivery, WebhookStorage } from './contract.js';
import { deliveryColumns, endpointColumns, failedDeliveryColumns, toWebhookEndpoint, type EndpointRow } from './rows.js';

// The head of each (endpoint, order key) queue: no older pending delivery in it. With
// several processes each one may pick the same head: deliveries are at least once, and
// receivers tell repeats by the event id (`webhook-id`).
const due = sql`
  SELECT ${deliveryColumns}
  FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
  WHERE d.failed = 0 AND d.next_attempt_at <= $1 AND NOT (d.id ${inList(3, 'bigint')})
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
      WHERE e.failed = 0 AND e.webhook_id = d.webhook_id AND e.order_key = d.order_key AND e.id < d.id)
  ORDER BY d.id
  LIMIT $2`;

// Queued in the order of `webhookIds`; endpoints deleted meanwhile are left out.
const enqueue = sql`
  INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, order_key, payload, next_attempt_at)
  SELECT w.id, $2, $3, $4, $5, $6
  FROM ${{
    sqlite: '(SELECT value AS id, key AS position FROM json_each($1)) AS target',
    postgres: 'unnest($1::text[]) WITH ORDINALITY AS target (id, position)',
  }}
  JOIN webhooks w ON w.id = target.id
  WHERE true
  ORDER BY target.position
  ON CONFLICT (webhook_id, event_id) DO NOTHING`;

export function sqlWebhooks(db: SqlDatabase): WebhookStorage {
  return {
    read: {
      async list() {
        const rows = await db.rows<EndpointRow>(`SELECT ${endpointColumns} FROM webhooks ORDER BY created_at, id`);
        return rows.map(toWebhookEndpoint);
      },
      due: ({ now, limit, excluding }) => db.rows<WebhookDelivery>(due, [now, limit, excluding.map(Number)]),
      async nextAttemptAt() {
        const row = await db.row<{ next: number | null }>(
          'SELECT min(next_attempt_at) AS next FROM webhook_deliveries WHERE failed = 0',
        );
        return row?.next ?? null;
      },
      failed: (webhookId, limit) =>
        db.rows<FailedWebhookDelivery>(
          `SELECT ${failedDeliveryColumns} FROM webhook_deliveries
           WHERE webhook_id = $1 AND failed = 1 ORDER BY id DESC LIMIT $2`,
          [webhookId, limit],
        ),
    },
    write: {
      async save({ id, url, events, secret, createdAt }) {
        await db.run(
          `INSERT INTO webhooks (id, url, events, secret, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, secret = excluded.secret`,
          [id, url, JSON.stringify(events), secret, createdAt],
        );
      },
      delete: async (id) => (await db.run('DELETE FROM webhooks WHERE id = $1', [id])) > 0,
      async enqueue(event, webhookIds) {
        await db.run(enqueue, [webhookIds, event.id, event.type, event.orderKey, event.payload, event.createdAt]);
      },
      async complete(deliveryId) {
        await db.run('DELETE FROM webhook_deliveries WHERE id = $1', [Number(deliveryId)]);
      },
      async fail(deliveryId, { error, retryAt }) {
        await db.run(
          `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2,
             next_attempt_at = coalesce($3, next_attempt_at),
             failed = CASE WHEN CAST($3 AS bigint) IS NULL THEN 1 ELSE 0 END
           WHERE id = $1`,
          [Number(deliveryId), error.slice(0, 500), retryAt],
        );
      },
    },
  };
}
