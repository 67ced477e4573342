import { postgresMessages, type PostgresMessages } from '../messages/postgres.js';
import { sqlAreas, type SqlAreas } from '../sql/areas.js';
import type { StatementCount } from '../statement-count.js';
import type { Storage } from '../storage.js';
import { CommandError } from '../../errors.js';
import { applyMigrations } from './migrations.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';

export type PostgresStorageOptions = PgDatabaseOptions;

// The areas written once are its own properties, set by the constructor.
export interface PostgresStorage extends SqlAreas {}

/**
 * Storage on PostgreSQL, for several server processes sharing one database: a
 * connection pool, one transaction per operation (appends are batched per process), the
 * same gap-free seq per conversation whichever process appends, and the same
 * (senderId, clientId) dedupe, by a unique constraint. Call `migrate()` before anything else.
 *
 * @example
 * const storage = new PostgresStorage({ connectionString: 'postgres://localhost/im', schema: 'public' });
 * await storage.migrate();
 */
export class PostgresStorage implements Storage {
  readonly messages: PostgresMessages;
  readonly #db: PgDatabase;
  readonly #where: string;

  constructor(options: PostgresStorageOptions) {
    const db = new PgDatabase(options);
    this.#db = db;
    Object.assign(this, sqlAreas(db));
    this.messages = postgresMessages(db);
    this.#where = describeDatabase(options.connectionString);
  }

  async migrate(): Promise<void> {
    try {
      await applyMigrations(this.#db);
    } catch (error) {
      const cause = error instanceof CommandError && error.cause instanceof Error ? error.cause : error;
      throw new Error(`cannot use PostgreSQL at ${this.#where}: ${(cause as Error).message}`, { cause });
    }
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return this.#db.statementCount;
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    await this.messages.drainAppends();
    await this.#db.close();
  }
}

/** Host, port and database of a connection string, never its password. */
function describeDatabase(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.host}${url.pathname}`;
  } catch {
    return 'the configured URL';
  }
}
