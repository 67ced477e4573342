import Database from 'better-sqlite3';
import { sqliteMessages, type SqliteMessages } from '../messages/sqlite.js';
import type { StatementCount } from '../statement-count.js';
import type { Storage } from '../storage.js';
import { sqlAreas, type SqlAreas } from '../sql/areas.js';
import { SqliteSqlDatabase } from '../sql/sqlite.js';
import { manageCheckpoints } from './checkpoints.js';
import { SqliteConnection, translateError } from './connection.js';
import { applyMigrations, requireCurrentSchema } from './migrations.js';

export interface SqliteStorageOptions {
  /** Path of the database file; created if missing. */
  filename: string;
  /** Counts every statement run (`statementCount`): for diagnostics and benchmarks. */
  countStatements?: boolean;
  /**
   * Only reads, beside a connection that writes (and migrates): the file must exist, and
   * any write fails.
   */
  readonly?: boolean;
}

// The areas written once are its own properties, set by the constructor.
export interface SqliteStorage extends SqlAreas {}

/**
 * The embedded default storage: one SQLite file in WAL mode with `synchronous = FULL`,
 * so that a resolved write has reached the disk; checkpoints.ts says when the log is
 * copied back into the file. Call `migrate()` before anything else.
 * Its areas share one connection (see area.ts for the shape).
 *
 * @example
 * const storage = new SqliteStorage({ filename: 'data/im-chat.sqlite' });
 * await storage.migrate();
 */
export class SqliteStorage implements Storage {
  readonly messages: SqliteMessages;
  readonly #db: Database.Database;
  readonly #connection: SqliteConnection;
  readonly #statementsRun = { statements: 0, transactions: 0 };
  readonly #readonly: boolean;
  readonly #stopCheckpoints: () => void = () => {};

  constructor(options: SqliteStorageOptions) {
    const count = (sql: unknown) => {
      this.#statementsRun.statements++;
      if (typeof sql === 'string' && sql.startsWith('BEGIN')) this.#statementsRun.transactions++;
    };
    this.#readonly = options.readonly ?? false;
    this.#db = new Database(options.filename, {
      readonly: this.#readonly,
      fileMustExist: this.#readonly,
      ...(options.countStatements ? { verbose: count } : {}),
    });
    if (!this.#readonly) {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#stopCheckpoints = manageCheckpoints(this.#db);
    }
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    // SQLite's lower() folds ASCII only; search must match "Ärger" with "ä".
    this.#db.function('im_fold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    const connection = new SqliteConnection(this.#db);
    this.#connection = connection;
    // The areas share `db` (the query interface); appends run on the connection itself.
    const db = new SqliteSqlDatabase(connection);
    Object.assign(this, sqlAreas(db));
    this.messages = sqliteMessages(connection, db);
  }

  async migrate(): Promise<void> {
    try {
      if (this.#readonly) requireCurrentSchema(this.#db);
      else applyMigrations(this.#db);
      this.#connection.migrated();
    } catch (error) {
      throw translateError(error);
    }
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    await this.messages.drainAppends();
    await this.#connection.whenFree(() => {
      if (!this.#db.open) return;
      this.#stopCheckpoints();
      this.#db.close();
    });
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return { ...this.#statementsRun };
  }
}
