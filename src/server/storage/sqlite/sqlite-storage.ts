import Database from 'better-sqlite3';
import type {
  Conversation,
  Message,
  Receipt,
} from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type { StatementCount } from '../statement-count.js';
import type { AccountStorage } from '../accounts/contract.js';
import type { FileStorage } from '../files/contract.js';
import type { IdempotencyStorage } from '../idempotency/contract.js';
import type { PresenceStorage } from '../presence/contract.js';
import type { SupportStorage } from '../support/contract.js';
import type { PushStorage } from '../push/contract.js';
import type { SearchStorage } from '../search/contract.js';
import type { WebhookStorage } from '../webhooks/contract.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import type {
  AppendMessageInput,
  AppendMessageResult,
  ConversationChanges,
  ConversationRecord,
  HistoryQuery,
  ReadMark,
  Storage,
} from '../storage.js';
import { GroupCommit, type Settled } from './group-commit.js';
import { applyMigrations, requireCurrentSchema } from './migrations.js';
import { sqliteAccounts } from '../accounts/sqlite.js';
import { sqliteFiles } from '../files/sqlite.js';
import { sqliteIdempotency } from '../idempotency/sqlite.js';
import { sqlitePush } from '../push/sqlite.js';
import { sqliteSearch } from '../search/sqlite.js';
import { sqliteWebhooks } from '../webhooks/sqlite.js';
import { appendBatch } from './sqlite-messages.js';
import { sqlitePresence } from '../presence/sqlite.js';
import { sqliteSupport } from '../support/sqlite.js';
import type { GroupStorage } from '../groups/contract.js';
import { sqliteGroups } from '../groups/sqlite.js';
import { SqliteConnection, storageClosed, translateError } from './connection.js';
import * as state from './sqlite-message-state.js';
import { formatChangeCursor, parseChangeCursor } from '../change-cursor.js';
import { readTarget } from '../message-change-rules.js';
import { toConversation, toMessage, type ConversationRow } from '../rows.js';
import { prepareStatements, type Statements } from './statements.js';

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
 * so that a resolved write has reached the disk. Call `migrate()` before anything else.
 *
 * @example
 * const storage = new SqliteStorage({ filename: 'data/im-chat.sqlite' });
 * await storage.migrate();
 */
export class SqliteStorage implements Storage {
  readonly #db: Database.Database;
  readonly #connection: SqliteConnection;
  readonly presence: PresenceStorage;
  readonly accounts: AccountStorage;
  readonly files: FileStorage;
  readonly push: PushStorage;
  readonly webhooks: WebhookStorage;
  readonly idempotency: IdempotencyStorage;
  readonly search: SearchStorage;
  readonly support: SupportStorage;
  readonly groups: GroupStorage;
  readonly #statementsRun = { statements: 0, transactions: 0 };
  readonly #readonly: boolean;
  #sql: Statements | null = null;
  #epoch = '';
  readonly #appends = new GroupCommit<AppendMessageInput, AppendMessageResult>((inputs) =>
    this.#commitAppends(inputs),
  );

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
    }
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    // SQLite's lower() folds ASCII only; search must match "Ärger" with "ä".
    this.#db.function('im_fold', { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    this.#connection = new SqliteConnection(this.#db);
    this.presence = sqlitePresence(this.#connection);
    this.accounts = sqliteAccounts(this.#connection);
    this.files = sqliteFiles(this.#connection);
    this.push = sqlitePush(this.#connection);
    this.webhooks = sqliteWebhooks(this.#connection);
    this.idempotency = sqliteIdempotency(this.#connection);
    this.search = sqliteSearch(this.#connection);
    this.support = sqliteSupport(this.#connection);
    this.groups = sqliteGroups(this.#connection);
  }

  async migrate(): Promise<void> {
    try {
      if (this.#readonly) requireCurrentSchema(this.#db);
      else applyMigrations(this.#db);
      this.#sql = prepareStatements(this.#db);
      this.#epoch = this.#sql.epoch.get()!.value;
      this.#connection.migrated();
    } catch (error) {
      throw translateError(error);
    }
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    this.#appends.flush();
    this.#db.close();
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return { ...this.#statementsRun };
  }

  async ensureSingleConversation(input: {
    id: string;
    memberIds: [string, string];
    createdBy: string;
    now: number;
  }): Promise<ConversationRecord> {
    const [first, second] = input.memberIds;
    if (first === second) throw new Error('a single conversation needs two different members');
    return this.#run((sql) =>
      this.#db
        .transaction(() => {
          const existing = sql.conversation.get(input.id);
          if (existing) return this.#record(sql, existing);
          sql.insertConversation.run({
            id: input.id,
            createdBy: input.createdBy,
            now: input.now,
            version: sql.nextVersion.get()!.value,
          });
          sql.insertMember.run(input.id, first, input.now);
          sql.insertMember.run(input.id, second, input.now);
          return this.#record(sql, sql.conversation.get(input.id)!);
        })
        .immediate(),
    );
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    return this.#run((sql) => {
      const row = sql.conversation.get(id);
      return row ? this.#record(sql, row) : null;
    });
  }

  async getConversationView(conversationId: string, userId: string): Promise<Conversation | null> {
    return this.#run((sql) => {
      const row = sql.conversationView.get(conversationId, userId);
      return row ? toConversation(row) : null;
    });
  }

  async listConversationIds(userId: string): Promise<string[]> {
    return this.#run((sql) => sql.conversationIdsOfUser.all(userId));
  }

  async listMemberIds(conversationId: string): Promise<string[]> {
    return this.#run((sql) => sql.memberIds.all(conversationId));
  }

  appendMessage(input: AppendMessageInput): Promise<AppendMessageResult> {
    if (!this.#db.open) return Promise.reject(storageClosed());
    return this.#appends.submit(input);
  }

  async findMessage(senderId: string, clientId: string): Promise<Message | null> {
    return this.#run((sql) => {
      const row = sql.messageByClientId.get(senderId, clientId);
      return row ? toMessage(row) : null;
    });
  }

  async getMessages(
    conversationId: string,
    query: HistoryQuery,
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    return this.#run((sql) => {
      const maxSeq = query.maxSeq ?? Number.MAX_SAFE_INTEGER;
      // One row past the page tells whether more exist in that direction.
      const rows =
        query.afterSeq !== undefined
          ? sql.messagesAfter.all(conversationId, query.afterSeq, maxSeq, query.limit + 1)
          : sql.messagesBefore.all(
              conversationId,
              Math.min(query.beforeSeq ?? Number.MAX_SAFE_INTEGER, maxSeq + 1),
              query.limit + 1,
            );
      const hasMore = rows.length > query.limit;
      const page = rows.slice(0, query.limit);
      if (query.afterSeq === undefined) page.reverse();
      return { messages: page.map(toMessage), hasMore };
    });
  }

  async markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark> {
    return this.#run((sql) =>
      this.#db
        .transaction((): ReadMark => {
          const position = sql.readPosition.get(conversationId, userId);
          if (!position) throw new CommandError('not_found', 'no such conversation member');
          // Reading a conversation marked unread clears the mark, even with nothing new.
          const target = readTarget(position, seq);
          const deliveredSeq = Math.max(position.delivered_seq, target);
          if (target === position.read_seq && position.marked_unread === 0) {
            return { readSeq: target, deliveredSeq, changed: false };
          }
          const version = sql.nextVersion.get()!.value;
          sql.setReadSeq.run({ conversationId, userId, seq: target, version });
          return { readSeq: target, deliveredSeq, changed: true };
        })
        .immediate(),
    );
  }

  async changedConversations(
    userId: string,
    cursor: string | null,
    limit: number,
  ): Promise<ConversationChanges> {
    return this.#run((sql) => {
      const { since, afterId, reset } = parseChangeCursor(cursor, this.#epoch);
      const rows = sql.changedConversations.all({ userId, since, afterId, limit: limit + 1 });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        conversations: page.map(toConversation),
        cursor: last ? formatChangeCursor(this.#epoch, last.change_version, last.id) : formatChangeCursor(this.#epoch, since, afterId),
        hasMore: rows.length > limit,
        reset,
      };
    });
  }

  async getMessage(conversationId: string, seq: number): Promise<Message | null> {
    return this.#run((sql) => state.getMessage(sql, conversationId, seq));
  }

  changeMessage(input: MessageChangeInput): Promise<MessageChangeResult> {
    return this.#write((sql) => state.changeMessage(sql, input, sql.nextVersion.get()!.value));
  }

  markDelivered(conversationId: string, userId: string, seq: number) {
    return this.#write((sql) => state.markDelivered(sql, conversationId, userId, seq));
  }

  async listReceipts(conversationId: string): Promise<Receipt[]> {
    return this.#run((sql) => state.listReceipts(sql, conversationId));
  }

  async countReaders(
    conversationId: string,
    input: { seq: number; senderId: string; limit: number },
  ): Promise<ReadersCount> {
    return this.#run((sql) => state.countReaders(sql, conversationId, input));
  }

  updateMemberSettings(
    conversationId: string,
    userId: string,
    changes: MemberSettingsChanges,
    now: number,
  ): Promise<Conversation> {
    return this.#write((sql) =>
      state.updateMemberSettings(sql, {
        conversationId,
        userId,
        changes,
        now,
        version: sql.nextVersion.get()!.value,
      }),
    );
  }

  #record(sql: Statements, row: ConversationRow): ConversationRecord {
    return {
      id: row.id,
      type: row.type,
      memberIds: sql.memberIds.all(row.id),
      createdBy: row.created_by,
      createdAt: row.created_at,
      lastSeq: row.last_seq,
      updatedAt: row.updated_at,
    };
  }

  /**
   * The whole batch in one transaction, sharing one change version (it commits as one).
   * If an append fails, that transaction rolls back and each append runs in its own, so
   * the failure stays alone and leaves no gap. Savepoints would isolate it too, but cost
   * two statements per message on the common path.
   */
  #commitAppends(inputs: AppendMessageInput[]): Settled<AppendMessageResult>[] {
    return this.#run((sql) => {
      const appendAll = (batch: AppendMessageInput[]) =>
        this.#db
          .transaction(() => {
            const version = sql.nextVersion.get()!.value;
            return appendBatch(sql, batch, version);
          })
          .immediate();
      try {
        return appendAll(inputs).map((value) => ({ ok: true, value }));
      } catch (error) {
        if (inputs.length === 1) return [{ ok: false, error: translateError(error) }];
      }
      return inputs.map((input): Settled<AppendMessageResult> => {
        try {
          return { ok: true, value: appendAll([input])[0]! };
        } catch (error) {
          return { ok: false, error: translateError(error) };
        }
      });
    });
  }

  /** One write transaction around a change. */
  async #write<T>(change: (sql: Statements) => T): Promise<T> {
    return this.#run((sql) => this.#db.transaction(() => change(sql)).immediate());
  }

  #statements(): Statements {
    if (!this.#db.open) throw storageClosed();
    if (!this.#sql) throw new Error('SqliteStorage.migrate() must run before use');
    return this.#sql;
  }

  #run<T>(operation: (sql: Statements) => T): T {
    try {
      return operation(this.#statements());
    } catch (error) {
      throw translateError(error);
    }
  }
}
