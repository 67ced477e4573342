import Database from 'better-sqlite3';
import type { AccountStorage } from '../accounts/contract.js';
import { sqlAccounts } from '../accounts/sql.js';
import type { ConversationStorage } from '../conversations/contract.js';
import { sqlConversations } from '../conversations/sql.js';
import type { FileStorage } from '../files/contract.js';
import { sqlFiles } from '../files/sql.js';
import type { GroupStorage } from '../groups/contract.js';
import { sqlGroups } from '../groups/sql.js';
import type { IdempotencyStorage } from '../idempotency/contract.js';
import { sqlIdempotency } from '../idempotency/sql.js';
import { sqliteMessages, type SqliteMessages } from '../messages/sqlite.js';
import type { PresenceStorage } from '../presence/contract.js';
import { sqlPresence } from '../presence/sql.js';
import type { PushStorage } from '../push/contract.js';
import { sqlPush } from '../push/sql.js';
import type { ReadStateStorage } from '../reads/contract.js';
import { sqlReadState } from '../reads/sql.js';
import type { SearchStorage } from '../search/contract.js';
import { sqlSearch } from '../search/sql.js';
import type { StatementCount } from '../statement-count.js';
import type { Storage } from '../storage.js';
import type { SupportStorage } from '../support/contract.js';
import { sqlSupport } from '../support/sql.js';
import type { WebhookStorage } from '../webhooks/contract.js';
import { sqlWebhooks } from '../webhooks/sql.js';
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
  readonly accounts: AccountStorage;
  readonly conversations: ConversationStorage;
  readonly files: FileStorage;
  readonly groups: GroupStorage;
  readonly idempotency: IdempotencyStorage;
  readonly messages: SqliteMessages;
  readonly presence: PresenceStorage;
  readonly push: PushStorage;
  readonly reads: ReadStateStorage;
  readonly search: SearchStorage;
  readonly support: SupportStorage;
  readonly webhooks: WebhookStorage;
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
    this.accounts = sqlAccounts(db);
    this.conversations = sqlConversations(db);
    this.files = sqlFiles(db);
    this.groups = sqlGroups(db);
    this.idempotency = sqlIdempotency(db);
    this.messages = sqliteMessages(connection, db);
    this.presence = sqlPresence(db);
    this.push = sqlPush(db);
    this.reads = sqlReadState(db);
    this.search = sqlSearch(db);
    this.support = sqlSupport(db);
    this.webhooks = sqlWebhooks(db);
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
    if (!this.#db.open) return;
    await this.#connection.whenFree(() => undefined);
    if (!this.#db.open) return;
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    this.messages.flushAppends();
    this.#stopCheckpoints();
    this.#db.close();
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return { ...this.#statementsRun };
  }
}
