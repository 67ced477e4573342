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
import { postgresMessages, type PostgresMessages } from '../messages/postgres.js';
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
import { CommandError } from '../../errors.js';
import { applyMigrations } from './migrations.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';

export type PostgresStorageOptions = PgDatabaseOptions;

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
  readonly accounts: AccountStorage;
  readonly conversations: ConversationStorage;
  readonly files: FileStorage;
  readonly groups: GroupStorage;
  readonly idempotency: IdempotencyStorage;
  readonly messages: PostgresMessages;
  readonly presence: PresenceStorage;
  readonly push: PushStorage;
  readonly reads: ReadStateStorage;
  readonly search: SearchStorage;
  readonly support: SupportStorage;
  readonly webhooks: WebhookStorage;
  readonly #db: PgDatabase;
  readonly #where: string;

  constructor(options: PostgresStorageOptions) {
    const db = new PgDatabase(options);
    this.#db = db;
    this.accounts = sqlAccounts(db);
    this.conversations = sqlConversations(db);
    this.files = sqlFiles(db);
    this.groups = sqlGroups(db);
    this.idempotency = sqlIdempotency(db);
    this.messages = postgresMessages(db);
    this.presence = sqlPresence(db);
    this.push = sqlPush(db);
    this.reads = sqlReadState(db);
    this.search = sqlSearch(db);
    this.support = sqlSupport(db);
    this.webhooks = sqlWebhooks(db);
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
