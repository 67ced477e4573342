/** Webhook endpoints, their delivery queue and idempotency keys on PostgreSQL (migration 3). */
import type { IdempotencyClaim, IdempotentRequest } from '../idempotency-storage.js';
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
import type { PgTransaction, Queryable } from './pg-database.js';

export async function saveWebhook(db: Queryable, endpoint: WebhookEndpoint): Promise<void> {
  await db.run(
    `INSERT INTO webhooks (id, url, events, secret, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET url = excluded.url, events = excluded.events, secret = excluded.secret`,
    [endpoint.id, endpoint.url, JSON.stringify(endpoint.events), endpoint.secret, endpoint.createdAt],
  );
}

export async function listWebhooks(db: Queryable): Promise<WebhookEndpoint[]> {
  const rows = await db.rows<EndpointRow>('SELECT id, url, events, secret, created_at FROM webhooks ORDER BY created_at, id');
  return rows.map(toWebhookEndpoint);
}

export async function deleteWebhook(db: Queryable, id: string): Promise<boolean> {
  return (await db.run('DELETE FROM webhooks WHERE id = $1', [id])) > 0;
}

export async function enqueueWebhookEvent(
  db: Queryable,
  event: WebhookEvent,
  webhookIds: readonly string[],
): Promise<void> {
  await db.run(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, order_key, payload, next_attempt_at)
     SELECT w.id, $2, $3, $4, $5, $6 FROM unnest($1::text[]) WITH ORDINALITY AS target (id, position)
     JOIN webhooks w ON w.id = target.id
     ORDER BY target.position
     ON CONFLICT (webhook_id, event_id) DO NOTHING`,
    [webhookIds, event.id, event.type, event.orderKey, event.payload, event.createdAt],
  );
}

/**
 * The head of each (endpoint, order key) queue: no older pending delivery in it. With
 * several processes each one may pick the same head: deliveries are at least once, and
 * receivers tell repeats by the event id (`webhook-id`).
 */
export async function dueWebhookDeliveries(
  db: Queryable,
  input: { now: number; limit: number; excluding: readonly string[] },
): Promise<WebhookDelivery[]> {
  const rows = await db.rows<DeliveryRow>(
    `SELECT d.id, d.webhook_id, w.url, w.secret, d.event_id, d.event_type, d.order_key, d.payload, d.attempts
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
     WHERE d.failed = 0 AND d.next_attempt_at <= $1 AND NOT (d.id = ANY($3::bigint[]))
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
         WHERE e.failed = 0 AND e.webhook_id = d.webhook_id AND e.order_key = d.order_key AND e.id < d.id)
     ORDER BY d.id
     LIMIT $2`,
    [input.now, input.limit, input.excluding.map(Number)],
  );
  return rows.map(toWebhookDelivery);
}

export async function nextWebhookAttemptAt(db: Queryable): Promise<number | null> {
  const row = await db.row<{ next: number | null }>(
    'SELECT min(next_attempt_at) AS next FROM webhook_deliveries WHERE failed = 0',
  );
  return row?.next ?? null;
}

export async function completeWebhookDelivery(db: Queryable, deliveryId: string): Promise<void> {
  await db.run('DELETE FROM webhook_deliveries WHERE id = $1', [Number(deliveryId)]);
}

export async function failWebhookDelivery(
  db: Queryable,
  deliveryId: string,
  input: { error: string; retryAt: number | null },
): Promise<void> {
  await db.run(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2,
       next_attempt_at = coalesce($3, next_attempt_at), failed = CASE WHEN $3::bigint IS NULL THEN 1 ELSE 0 END
     WHERE id = $1`,
    [Number(deliveryId), input.error.slice(0, 500), input.retryAt],
  );
}

export async function listFailedWebhookDeliveries(
  db: Queryable,
  webhookId: string,
  limit: number,
): Promise<FailedWebhookDelivery[]> {
  const rows = await db.rows<FailedDeliveryRow>(
    `SELECT event_id, event_type, attempts, last_error, payload FROM webhook_deliveries
     WHERE webhook_id = $1 AND failed = 1 ORDER BY id DESC LIMIT $2`,
    [webhookId, limit],
  );
  return rows.map(toFailedDelivery);
}

/**
 * A new key is claimed by inserting it: of two processes claiming one key at once, the
 * second waits for the first's row and judges it like any existing one.
 */
export async function claimIdempotencyKey(tx: PgTransaction, request: IdempotentRequest): Promise<IdempotencyClaim> {
  const { scope, key, fingerprint, now } = request;
  const inserted = await tx.run(
    `INSERT INTO idempotency_keys (scope, key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope, key) DO NOTHING`,
    [scope, key, fingerprint, now],
  );
  if (inserted > 0) return { state: 'claimed' };
  const row = (await tx.row<{ fingerprint: string; status: number | null; response: string | null; created_at: number }>(
    'SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2 FOR UPDATE',
    [scope, key],
  ))!;
  if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
  if (row.status !== null) return { state: 'answered', status: row.status, body: row.response ?? '' };
  if (row.created_at >= request.staleBefore) return { state: 'in_progress' };
  await tx.run(
    `UPDATE idempotency_keys SET fingerprint = $3, created_at = $4, status = NULL, response = NULL
     WHERE scope = $1 AND key = $2`,
    [scope, key, fingerprint, now],
  );
  return { state: 'claimed' };
}

export async function finishIdempotentRequest(
  db: Queryable,
  input: { scope: string; key: string; status: number; body: string },
): Promise<void> {
  await db.run('UPDATE idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2', [
    input.scope,
    input.key,
    input.status,
    input.body,
  ]);
}

export async function releaseIdempotencyKey(db: Queryable, input: { scope: string; key: string }): Promise<void> {
  await db.run('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL', [
    input.scope,
    input.key,
  ]);
}

export async function pruneIdempotencyKeys(db: Queryable, before: number): Promise<void> {
  await db.run('DELETE FROM idempotency_keys WHERE created_at < $1', [before]);
}
