/** File records and the file-access secret on SQLite (tables from migration 3). */
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { CommandError } from '../../errors.js';
import type { FileRecord } from '../file-storage.js';
import { toFileRecord, type FileRow } from '../rows.js';


const secretKey = 'file_access_secret';

/** Prepared once the schema exists (after migrate); every method is one statement or transaction. */
export class SqliteFiles {
  readonly #insert: Database.Statement<[FileRow]>;
  readonly #byId: Database.Statement<[string], FileRow>;
  readonly #takeSecret: Database.Transaction<() => string>;

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

  secret(): Uint8Array {
    return Buffer.from(this.#takeSecret.immediate(), 'base64url');
  }
}
