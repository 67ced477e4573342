import Database from 'better-sqlite3';
import { plainText } from '../../../protocol/index.js';
import { sqliteMessages, type SqliteMessages } from '../messages/sqlite.js';
import type { StatementCount } from '../statement-count.js';
import type { Storage } from '../storage.js';
import { sqlAreas, type SqlAreas } from '../sql/areas.js';
import { SqliteSqlDatabase } from '../sql/sqlite.js';
import { SearchIndexFollower } from '../search/sqlite-index.js';
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
  /** Null on a read-only connection: the writer's follower keeps the index. */
  readonly #searchIndex: SearchIndexFollower | null = null;

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
    // A text as the search index holds it (search/sqlite-index.ts), folded: its words without marks.
    this.#db.function('im_search_text', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? plainText(value).toLowerCase() : value,
    );
    const connection = new SqliteConnection(this.#db);
    this.#connection = connection;
    if (!this.#readonly) this.#searchIndex = new SearchIndexFollower(connection);
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
    // What a crash left unindexed is indexed first.
    await this.#searchIndex?.catchUp();
    this.#searchIndex?.start();
  }

  /**
   * Brings the search index up to every message stored so far, which it otherwise reaches
   * within about `searchFollowMs` (searches find those messages either way).
   */
  async catchUpSearch(): Promise<void> {
    await this.#searchIndex?.catchUp();
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    await this.messages.drainAppends();
    await this.#searchIndex?.stop();
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
