/** Webhook endpoints and their delivery queue on SQLite (tables from migration 5). */
import type { Database } from 'better-sqlite3';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { FailedWebhookDelivery, WebhookDelivery, WebhookEvent, WebhookStorage } from './contract.js';
import { deliveryColumns, endpointColumns, failedDeliveryColumns, toWebhookEndpoint, type EndpointRow } from './rows.js';

function prepare(db: Database) {
  return {
    save: db.prepare<[EndpointRow], unknown>(`
      INSERT INTO webhooks (id, url, events, secret, created_at)
      VALUES (@id, @url, @events, @secret, @createdAt)
      ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events,
        secret = excluded.secret`),
    list: db.prepare<[], EndpointRow>(`SELECT ${endpointColumns} FROM webhooks ORDER BY created_at, id`),
    delete: db.prepare<[string], unknown>('DELETE FROM webhooks WHERE id = ?'),
    enqueue: db.prepare<[{ webhookId: string } & WebhookEvent], unknown>(`
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, order_key, payload, next_attempt_at)
      SELECT @webhookId, @id, @type, @orderKey, @payload, @createdAt
      WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = @webhookId)
      ON CONFLICT (webhook_id, event_id) DO NOTHING`),
    // The head of each (endpoint, order key) queue: no older pending delivery in it.
    due: db.prepare<[{ now: number; limit: number; excluding: string }], WebhookDelivery>(`
      SELECT ${deliveryColumns}
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.failed = 0 AND d.next_attempt_at <= @now
        AND d.id NOT IN (SELECT value FROM json_each(@excluding))
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
          WHERE e.failed = 0 AND e.webhook_id = d.webhook_id AND e.order_key = d.order_key AND e.id < d.id)
      ORDER BY d.id
      LIMIT @limit`),
    next: db
      .prepare<[], number | null>('SELECT min(next_attempt_at) FROM webhook_deliveries WHERE failed = 0')
      .pluck(),
    complete: db.prepare<[number], unknown>('DELETE FROM webhook_deliveries WHERE id = ?'),
    fail: db.prepare<[{ id: number; error: string; retryAt: number | null }], unknown>(`
      UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = @error,
        next_attempt_at = coalesce(@retryAt, next_attempt_at), failed = @retryAt IS NULL
      WHERE id = @id`),
    failed: db.prepare<[string, number], FailedWebhookDelivery>(`
      SELECT ${failedDeliveryColumns} FROM webhook_deliveries
      WHERE webhook_id = ? AND failed = 1 ORDER BY id DESC LIMIT ?`),
  };
}

export function sqliteWebhooks(connection: SqliteConnection): WebhookStorage {
  return {
    read: {
      list: async () => connection.run(prepare, (sql) => sql.list.all().map(toWebhookEndpoint)),
      async due({ now, limit, excluding }) {
        const params = { now, limit, excluding: JSON.stringify(excluding.map(Number)) };
        return connection.run(prepare, (sql) => sql.due.all(params));
      },
      nextAttemptAt: async () => connection.run(prepare, (sql) => sql.next.get() ?? null),
      failed: async (webhookId, limit) => connection.run(prepare, (sql) => sql.failed.all(webhookId, limit)),
    },
    write: {
      async save(endpoint) {
        connection.run(prepare, (sql) => sql.save.run({ ...endpoint, events: JSON.stringify(endpoint.events) }));
      },
      delete: async (id) => connection.run(prepare, (sql) => sql.delete.run(id).changes > 0),
      async enqueue(event, webhookIds) {
        connection.write(prepare, (sql) => {
          for (const webhookId of webhookIds) sql.enqueue.run({ ...event, webhookId });
        });
      },
      async complete(deliveryId) {
        connection.run(prepare, (sql) => sql.complete.run(Number(deliveryId)));
      },
      async fail(deliveryId, { error, retryAt }) {
        connection.run(prepare, (sql) => sql.fail.run({ id: Number(deliveryId), error: error.slice(0, 500), retryAt }));
      },
    },
  };
}
