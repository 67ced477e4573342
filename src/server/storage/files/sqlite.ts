/** File records and the file-access secret on SQLite (tables from migrations 3 and 7). */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { CommandError } from '../../errors.js';
import type { FileCopy, FileRecord } from '../../files/records.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { fileColumns, type FileStorage } from './contract.js';

function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[FileRecord], unknown>(`
      INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
        storage_key, created_at)
      VALUES (@id, @conversationId, @uploaderId, @name, @mime, @size, @width, @height,
        @storageKey, @createdAt)
      ON CONFLICT (id) DO NOTHING`),
    byId: db.prepare<[string], FileRecord>(`SELECT ${fileColumns} FROM files WHERE id = ?`),
    copy: db.prepare<[FileCopy & { sourceId: string }], unknown>(`
      INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
        storage_key, created_at, forwarded_from)
      SELECT @id, @conversationId, @uploaderId, name, mime, size, width, height, storage_key,
        @createdAt, id
      FROM files WHERE id = @sourceId
      ON CONFLICT (id) DO NOTHING`),
    usage: db.prepare<[string], { bytes: number; unsent_bytes: number }>(`
      SELECT coalesce(sum(size), 0) AS bytes,
        coalesce(sum(CASE WHEN sent_at IS NULL THEN size ELSE 0 END), 0) AS unsent_bytes
      FROM files WHERE uploader_id = ? AND forwarded_from IS NULL`),
    removeUnsent: db
      .prepare<[number, number], string>(`
        DELETE FROM files WHERE id IN (
          SELECT id FROM files WHERE sent_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?)
        RETURNING storage_key`)
      .pluck(),
    keyInUse: db.prepare<[string], unknown>('SELECT 1 FROM files WHERE storage_key = ? LIMIT 1'),
    offerSecret: db.prepare<[string], unknown>(
      `INSERT INTO meta (key, value) VALUES ('file_access_secret', ?) ON CONFLICT (key) DO NOTHING`,
    ),
    secret: db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'file_access_secret'`).pluck(),
  };
}

export function sqliteFiles(connection: SqliteConnection): FileStorage {
  const get = (id: string) => connection.run(prepare, (sql) => sql.byId.get(id) ?? null);

  return {
    read: {
      get: async (id) => get(id),
      async usage(userId) {
        const row = connection.run(prepare, (sql) => sql.usage.get(userId)!);
        return { bytes: row.bytes, unsentBytes: row.unsent_bytes };
      },
    },
    write: {
      async add(record) {
        try {
          connection.run(prepare, (sql) => sql.insert.run(record));
        } catch (error) {
          if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
            throw new CommandError('not_found', 'no such conversation or user');
          }
          throw error;
        }
      },
      async forward(sourceId, copy) {
        return connection.write(prepare, (sql) => {
          sql.copy.run({ ...copy, sourceId });
          return get(copy.id);
        });
      },
      // One write transaction: no record can take up a key between its check and the commit.
      async removeUnsent({ createdBefore, limit }) {
        return connection.write(prepare, (sql) => {
          const keys = sql.removeUnsent.all(createdBefore, limit);
          const orphanedStorageKeys = [...new Set(keys)].filter((key) => !sql.keyInUse.get(key));
          return { removed: keys.length, orphanedStorageKeys };
        });
      },
      // Two processes starting at once agree: the first insert wins, both read it back.
      async accessSecret() {
        const secret = connection.write(prepare, (sql) => {
          sql.offerSecret.run(randomBytes(32).toString('base64url'));
          return sql.secret.get()!;
        });
        return Buffer.from(secret, 'base64url');
      },
    },
  };
}
