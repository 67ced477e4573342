/** Webhook endpoints and their delivery queue on SQLite (tables from migration 5). */
import type Database from 'better-sqlite3';
import type {
  FailedWebhookDelivery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from '../webhook-storage.js';
import {
  toFailedDelivery,
  toWebhookDelivery,
  toWebhookEndpoint,
  type DeliveryRow,
  type EndpointRow,
  type FailedDeliveryRow,
} from '../webhook-rows.js';

export class SqliteWebhooks {
  readonly #save: Database.Statement<[EndpointRow]>;
  readonly #list: Database.Statement<[], EndpointRow>;
  readonly #delete: Database.Statement<[string]>;
  readonly #enqueue: Database.Transaction<(event: WebhookEvent, webhookIds: readonly string[]) => void>;
  readonly #due: Database.Statement<[{ now: number; limit: number; excluding: string }], DeliveryRow>;
  readonly #next: Database.Statement<[], number | null>;
  readonly #complete: Database.Statement<[number]>;
  readonly #fail: Database.Statement<[{ id: number; error: string; retryAt: number | null }]>;
  readonly #failed: Database.Statement<[string, number], FailedDeliveryRow>;

  constructor(db: Database.Database) {
    this.#save = db.prepare(`
      INSERT INTO webhooks (id, url, events, secret, created_at)
      VALUES (@id, @url, @events, @secret, @created_at)
      ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events,
        secret = excluded.secret`);
    this.#list = db.prepare('SELECT id, url, events, secret, created_at FROM webhooks ORDER BY created_at, id');
    this.#delete = db.prepare('DELETE FROM webhooks WHERE id = ?');
    const insert = db.prepare<[{ webhookId: string } & WebhookEvent]>(`
      INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, order_key, payload, next_attempt_at)
      SELECT @webhookId, @id, @type, @orderKey, @payload, @createdAt
      WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = @webhookId)
      ON CONFLICT (webhook_id, event_id) DO NOTHING`);
    this.#enqueue = db.transaction((event: WebhookEvent, webhookIds: readonly string[]) => {
      for (const webhookId of webhookIds) insert.run({ ...event, webhookId });
    });
    // The head of each (endpoint, order key) queue: no older pending delivery in it.
    this.#due = db.prepare(`
      SELECT d.id, d.webhook_id, w.url, w.secret, d.event_id, d.event_type, d.order_key, d.payload, d.attempts
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE d.failed = 0 AND d.next_attempt_at <= @now
        AND d.id NOT IN (SELECT value FROM json_each(@excluding))
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
          WHERE e.failed = 0 AND e.webhook_id = d.webhook_id AND e.order_key = d.order_key AND e.id < d.id)
      ORDER BY d.id
      LIMIT @limit`);
    this.#next = db
      .prepare<[], number | null>('SELECT min(next_attempt_at) FROM webhook_deliveries WHERE failed = 0')
      .pluck();
    this.#complete = db.prepare('DELETE FROM webhook_deliveries WHERE id = ?');
    this.#fail = db.prepare(`
      UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = @error,
        next_attempt_at = coalesce(@retryAt, next_attempt_at), failed = @retryAt IS NULL
      WHERE id = @id`);
    this.#failed = db.prepare(`
      SELECT event_id, event_type, attempts, last_error, payload FROM webhook_deliveries
      WHERE webhook_id = ? AND failed = 1 ORDER BY id DESC LIMIT ?`);
  }

  save(endpoint: WebhookEndpoint): void {
    this.#save.run({
      id: endpoint.id,
      url: endpoint.url,
      events: JSON.stringify(endpoint.events),
      secret: endpoint.secret,
      created_at: endpoint.createdAt,
    });
  }

  list(): WebhookEndpoint[] {
    return this.#list.all().map(toWebhookEndpoint);
  }

  delete(id: string): boolean {
    return this.#delete.run(id).changes > 0;
  }

  enqueue(event: WebhookEvent, webhookIds: readonly string[]): void {
    this.#enqueue.immediate(event, webhookIds);
  }

  due(input: { now: number; limit: number; excluding: readonly string[] }): WebhookDelivery[] {
    const excluding = JSON.stringify(input.excluding.map(Number));
    return this.#due.all({ now: input.now, limit: input.limit, excluding }).map(toWebhookDelivery);
  }

  nextAttemptAt(): number | null {
    return this.#next.get() ?? null;
  }

  complete(deliveryId: string): void {
    this.#complete.run(Number(deliveryId));
  }

  fail(deliveryId: string, input: { error: string; retryAt: number | null }): void {
    this.#fail.run({ id: Number(deliveryId), error: input.error.slice(0, 500), retryAt: input.retryAt });
  }

  failed(webhookId: string, limit: number): FailedWebhookDelivery[] {
    return this.#failed.all(webhookId, limit).map(toFailedDelivery);
  }
}
