/** File records and the file-access secret on either backend. */
import { randomBytes } from 'node:crypto';
import { CommandError } from '../../errors.js';
import type { FileRecord } from '../../files/records.js';
import { inList, isViolation, lock, sql, type SqlDatabase, type SqlQueryable } from '../sql/sql.js';
import { fileColumns, type FileStorage } from './contract.js';

// The share lock on the source makes copying and removing it take turns on PostgreSQL: a
// removal under way holds the row, and the copy then finds nothing; a copy under way is
// skipped by it. (SQLite's write transactions take turns anyway.)
const forward = sql`
  WITH source AS (SELECT * FROM files WHERE id = $1 ${lock('FOR SHARE')})
  INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
    duration_ms, storage_key, created_at, forwarded_from)
  SELECT $2, $3, $4, name, mime, size, width, height, duration_ms, storage_key, $5, id FROM source WHERE true
  ON CONFLICT (id) DO NOTHING`;

// Rows locked by a send marking them sent, or by a forward copying them, are skipped (their
// turn comes next time, if still unsent), and so are rows another process is removing: no
// row is removed twice, and nobody waits.
const removeUnsent = sql`
  DELETE FROM files WHERE id IN (
    SELECT id FROM files WHERE sent_at IS NULL AND created_at < $1
    ORDER BY created_at LIMIT $2 ${lock('FOR UPDATE SKIP LOCKED')})
  RETURNING storage_key`;

const keysInUse = sql`SELECT DISTINCT storage_key FROM files WHERE storage_key ${inList(1)}`;

async function get(db: SqlQueryable, id: string): Promise<FileRecord | null> {
  return (await db.row<FileRecord>(`SELECT ${fileColumns} FROM files WHERE id = $1`, [id])) ?? null;
}

export function sqlFiles(db: SqlDatabase): FileStorage {
  return {
    read: {
      get: (id) => get(db, id),
      async usage(userId) {
        const row = (await db.row<{ bytes: number; unsent_bytes: number }>(
          `SELECT CAST(coalesce(sum(size), 0) AS bigint) AS bytes,
             CAST(coalesce(sum(CASE WHEN sent_at IS NULL THEN size ELSE 0 END), 0) AS bigint) AS unsent_bytes
           FROM files WHERE uploader_id = $1 AND forwarded_from IS NULL`,
          [userId],
        ))!;
        return { bytes: row.bytes, unsentBytes: row.unsent_bytes };
      },
    },
    write: {
      async add(record) {
        const { id, conversationId, uploaderId, name, mime, size, width, height, durationMs, storageKey, createdAt } = record;
        try {
          await db.run(
            `INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
               duration_ms, storage_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (id) DO NOTHING`,
            [id, conversationId, uploaderId, name, mime, size, width, height, durationMs, storageKey, createdAt],
          );
        } catch (error) {
          if (isViolation(error, 'foreign-key')) throw new CommandError('not_found', 'no such conversation or user');
          throw error;
        }
      },
      forward: (sourceId, copy) =>
        db.transaction(async (tx) => {
          await tx.run(forward, [sourceId, copy.id, copy.conversationId, copy.uploaderId, copy.createdAt]);
          return get(tx, copy.id);
        }),
      // Keys are checked after the delete, in the same transaction, so a key still used by
      // any committed record is kept.
      removeUnsent: ({ createdBefore, limit }) =>
        db.transaction(async (tx) => {
          const removed = await tx.rows<{ storage_key: string }>(removeUnsent, [createdBefore, limit]);
          const keys = [...new Set(removed.map((row) => row.storage_key))];
          const inUse = new Set((await tx.rows<{ storage_key: string }>(keysInUse, [keys])).map((row) => row.storage_key));
          return { removed: removed.length, orphanedStorageKeys: keys.filter((key) => !inUse.has(key)) };
        }),
      // Processes starting at once agree: the first stored secret wins, all read it back.
      async accessSecret() {
        await db.run(`INSERT INTO meta (key, value) VALUES ('file_access_secret', $1) ON CONFLICT (key) DO NOTHING`, [
          randomBytes(32).toString('base64url'),
        ]);
        const secret = (await db.row<{ value: string }>(`SELECT value FROM meta WHERE key = 'file_access_secret'`))!;
        return Buffer.from(secret.value, 'base64url');
      },
    },
  };
}
