/** File records and the file-access secret on SQLite (tables from migrations 3 and 7). */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { CommandError } from '../../errors.js';
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../file-storage.js';
import { toFileRecord, type FileRow } from '../rows.js';

const secretKey = 'file_access_secret';

/** Prepared once the schema exists (after migrate); every method is one statement or transaction. */
export class SqliteFiles {
  readonly #insert: Database.Statement<[FileRow]>;
  readonly #byId: Database.Statement<[string], FileRow>;
  readonly #takeSecret: Database.Transaction<() => string>;
  readonly #forward: Database.Transaction<(sourceId: string, copy: FileCopy) => FileRecord | null>;
  readonly #usage: Database.Statement<[string], { bytes: number; unsent_bytes: number }>;
  readonly #removeUnsent: Database.Transaction<(createdBefore: number, limit: number) => RemovedFiles>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(`
      INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
        storage_key, created_at)
      VALUES (@id, @conversation_id, @uploader_id, @name, @mime, @size, @width, @height,
        @storage_key, @created_at)
      ON CONFLICT (id) DO NOTHING`);
    this.#byId = db.prepare('SELECT * FROM files WHERE id = ?');
    const offer = db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
    );
    const read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    // Two processes starting at once agree: the first insert wins, both read it back.
    this.#takeSecret = db.transaction(() => {
      offer.run(secretKey, randomBytes(32).toString('base64url'));
      return read.get(secretKey)!.value;
    });
    const copy = db.prepare<[FileCopy & { sourceId: string }]>(`
      INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height,
        storage_key, created_at, forwarded_from)
      SELECT @id, @conversationId, @uploaderId, name, mime, size, width, height, storage_key,
        @createdAt, id
      FROM files WHERE id = @sourceId
      ON CONFLICT (id) DO NOTHING`);
    this.#forward = db.transaction((sourceId: string, record: FileCopy) => {
      copy.run({ ...record, sourceId });
      return this.get(record.id);
    });
    this.#usage = db.prepare(`
      SELECT coalesce(sum(size), 0) AS bytes,
        coalesce(sum(CASE WHEN sent_at IS NULL THEN size ELSE 0 END), 0) AS unsent_bytes
      FROM files WHERE uploader_id = ? AND forwarded_from IS NULL`);
    const removeUnsent = db
      .prepare<[number, number], string>(`
        DELETE FROM files WHERE id IN (
          SELECT id FROM files WHERE sent_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?)
        RETURNING storage_key`)
      .pluck();
    const keyInUse = db.prepare<[string], unknown>('SELECT 1 FROM files WHERE storage_key = ? LIMIT 1');
    // One write transaction: no record can take up a key between its check and the commit.
    this.#removeUnsent = db.transaction((createdBefore: number, limit: number) => {
      const keys = removeUnsent.all(createdBefore, limit);
      const orphanedStorageKeys = [...new Set(keys)].filter((key) => !keyInUse.get(key));
      return { removed: keys.length, orphanedStorageKeys };
    });
  }

  add(record: FileRecord): void {
    try {
      this.#insert.run({
        id: record.id,
        conversation_id: record.conversationId,
        uploader_id: record.uploaderId,
        name: record.name,
        mime: record.mime,
        size: record.size,
        width: record.width,
        height: record.height,
        storage_key: record.storageKey,
        created_at: record.createdAt,
      });
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new CommandError('not_found', 'no such conversation or user');
      }
      throw error;
    }
  }

  get(id: string): FileRecord | null {
    const row = this.#byId.get(id);
    if (!row) return null;
    return toFileRecord(row);
  }

  forward(sourceId: string, copy: FileCopy): FileRecord | null {
    return this.#forward.immediate(sourceId, copy);
  }

  usage(userId: string): UploadUsage {
    const row = this.#usage.get(userId)!;
    return { bytes: row.bytes, unsentBytes: row.unsent_bytes };
  }

  removeUnsent(input: { createdBefore: number; limit: number }): RemovedFiles {
    return this.#removeUnsent.immediate(input.createdBefore, input.limit);
  }

  secret(): Uint8Array {
    return Buffer.from(this.#takeSecret.immediate(), 'base64url');
  }
}
