/**
 * The small parts of the storage contract on PostgreSQL: VAPID keys and push
 * subscriptions, file records (forwarded copies, upload usage, unsent ones expiring) and
 * the file-access secret.
 */
import { randomBytes } from 'node:crypto';
import { CommandError } from '../../errors.js';
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../file-storage.js';
import { toFileRecord, type FileRow } from '../rows.js';
import {
  pushSubscriptionsPerUserMax,
  type PushSubscriptionRecord,
  type PushTargets,
  type VapidKeys,
} from '../push-storage.js';
import { isViolation, type PgDatabase, type PgTransaction, type Queryable } from './pg-database.js';

/** The value kept under `key`, after storing `candidate` there if nothing was: the first one wins. */
async function keepFirst(db: Queryable, key: string, candidate: string): Promise<string> {
  await db.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, candidate]);
  return (await db.row<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]))!.value;
}

export async function vapidKeys(db: Queryable, candidate: VapidKeys): Promise<VapidKeys> {
  return JSON.parse(await keepFirst(db, 'vapid', JSON.stringify(candidate))) as VapidKeys;
}

export async function savePushSubscription(
  tx: PgTransaction,
  subscription: PushSubscriptionRecord,
  now: number,
): Promise<void> {
  const { endpoint, userId, p256dh, auth } = subscription;
  await tx.run(
    `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
       p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
    [endpoint, userId, p256dh, auth, now],
  );
  await tx.run(
    `DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint NOT IN (
       SELECT endpoint FROM push_subscriptions WHERE user_id = $1
       ORDER BY created_at DESC, endpoint LIMIT $2)`,
    [userId, pushSubscriptionsPerUserMax],
  );
}

export async function deletePushSubscription(
  db: Queryable,
  endpoint: string,
  userId: string | null,
): Promise<void> {
  await db.run('DELETE FROM push_subscriptions WHERE endpoint = $1 AND ($2::text IS NULL OR user_id = $2)', [
    endpoint,
    userId,
  ]);
}

/** In one statement, so names and subscriptions agree. */
export async function pushTargets(
  db: Queryable,
  input: { conversationId: string; senderId: string; userIds: readonly string[] },
): Promise<PushTargets> {
  const row = (await db.row<{
    sender_name: string | null;
    group_name: string | null;
    subscriptions: PushSubscriptionRecord[];
  }>(
    `SELECT (SELECT name FROM users WHERE id = $2) AS sender_name,
       (SELECT name FROM conversations WHERE id = $1 AND type IN ('group', 'support')) AS group_name,
       coalesce((
         SELECT json_agg(json_build_object('endpoint', s.endpoint, 'userId', s.user_id,
           'p256dh', s.p256dh, 'auth', s.auth))
         FROM push_subscriptions s
         JOIN conversation_members m ON m.conversation_id = $1 AND m.user_id = s.user_id
         WHERE s.user_id = ANY($3::text[]) AND m.state = 'active' AND m.notifications_muted = 0
       ), '[]') AS subscriptions`,
    [input.conversationId, input.senderId, input.userIds],
  ))!;
  return { senderName: row.sender_name, groupName: row.group_name, subscriptions: row.subscriptions };
}


export async function addFile(db: Queryable, record: FileRecord): Promise<void> {
  try {
    await db.run(
      `INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
         storage_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO NOTHING`,
      [
        record.id,
        record.conversationId,
        record.uploaderId,
        record.name,
        record.mime,
        record.size,
        record.width,
        record.height,
        record.storageKey,
        record.createdAt,
      ],
    );
  } catch (error) {
    if (isViolation(error, 'foreign-key')) throw new CommandError('not_found', 'no such conversation or user');
    throw error;
  }
}

export async function getFile(db: Queryable, id: string): Promise<FileRecord | null> {
  const row = await db.row<FileRow>('SELECT * FROM files WHERE id = $1', [id]);
  if (!row) return null;
  return toFileRecord(row);
}

/**
 * The share lock on the source makes copying and removing it take turns: a removal under
 * way holds the row, and the copy then finds nothing; a copy under way is skipped by it.
 */
export async function forwardFile(db: PgDatabase, sourceId: string, copy: FileCopy): Promise<FileRecord | null> {
  return db.transaction(async (tx) => {
    await tx.run(
      `WITH source AS (SELECT * FROM files WHERE id = $1 FOR SHARE)
       INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
         storage_key, created_at, forwarded_from)
       SELECT $2, $3, $4, name, mime, size, width, height, storage_key, $5, id FROM source
       ON CONFLICT (id) DO NOTHING`,
      [sourceId, copy.id, copy.conversationId, copy.uploaderId, copy.createdAt],
    );
    return getFile(tx, copy.id);
  });
}

export async function uploadUsage(db: Queryable, userId: string): Promise<UploadUsage> {
  const row = (await db.row<{ bytes: number; unsent_bytes: number }>(
    `SELECT coalesce(sum(size), 0)::bigint AS bytes,
       coalesce(sum(size) FILTER (WHERE sent_at IS NULL), 0)::bigint AS unsent_bytes
     FROM files WHERE uploader_id = $1 AND forwarded_from IS NULL`,
    [userId],
  ))!;
  return { bytes: row.bytes, unsentBytes: row.unsent_bytes };
}

/**
 * Rows locked by a send marking them sent, or by a forward copying them, are skipped
 * (their turn comes next time, if still unsent), and so are rows another process is
 * removing: no row is removed twice, and nobody waits. Keys are checked after the delete,
 * in the same transaction, so a key still used by any committed record is kept.
 */
export async function removeUnsentFiles(
  db: PgDatabase,
  input: { createdBefore: number; limit: number },
): Promise<RemovedFiles> {
  return db.transaction(async (tx) => {
    const removed = await tx.rows<{ storage_key: string }>(
      `DELETE FROM files WHERE id IN (
         SELECT id FROM files WHERE sent_at IS NULL AND created_at < $1
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING storage_key`,
      [input.createdBefore, input.limit],
    );
    const keys = [...new Set(removed.map((row) => row.storage_key))];
    const used = await tx.rows<{ storage_key: string }>(
      'SELECT DISTINCT storage_key FROM files WHERE storage_key = ANY($1::text[])',
      [keys],
    );
    const inUse = new Set(used.map((row) => row.storage_key));
    return { removed: removed.length, orphanedStorageKeys: keys.filter((key) => !inUse.has(key)) };
  });
}

/** Processes starting at once agree: the first stored secret wins, all read it back. */
export async function fileAccessSecret(db: Queryable): Promise<Uint8Array> {
  const secret = await keepFirst(db, 'file_access_secret', randomBytes(32).toString('base64url'));
  return Buffer.from(secret, 'base64url');
}
