import type {
  Conversation,
  Message,
  Receipt,
} from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { formatChangeCursor, parseChangeCursor } from '../change-cursor.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import { toConversation, toMessage, type MessageRow } from '../rows.js';
import type { StatementCount } from '../statement-count.js';
import type { AccountStorage } from '../accounts/contract.js';
import { postgresAccounts } from '../accounts/postgres.js';
import type { FileStorage } from '../files/contract.js';
import { postgresFiles } from '../files/postgres.js';
import type { IdempotencyStorage } from '../idempotency/contract.js';
import { postgresIdempotency } from '../idempotency/postgres.js';
import type { PresenceStorage } from '../presence/contract.js';
import { postgresPresence } from '../presence/postgres.js';
import type { SupportStorage } from '../support/contract.js';
import { postgresSupport } from '../support/postgres.js';
import type { PushStorage } from '../push/contract.js';
import { postgresPush } from '../push/postgres.js';
import type { SearchStorage } from '../search/contract.js';
import { postgresSearch } from '../search/postgres.js';
import type { WebhookStorage } from '../webhooks/contract.js';
import { postgresWebhooks } from '../webhooks/postgres.js';
import type { GroupStorage } from '../groups/contract.js';
import { postgresGroups } from '../groups/postgres.js';
import type {
  AppendMessageInput,
  AppendMessageResult,
  ConversationChanges,
  ConversationRecord,
  HistoryQuery,
  ReadMark,
  Storage,
} from '../storage.js';
import { applyMigrations } from './migrations.js';
import { AppendQueue } from './pg-appends.js';
import * as core from './pg-conversations.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import * as state from './pg-message-state.js';

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
  readonly #db: PgDatabase;
  readonly presence: PresenceStorage;
  readonly accounts: AccountStorage;
  readonly files: FileStorage;
  readonly push: PushStorage;
  readonly webhooks: WebhookStorage;
  readonly idempotency: IdempotencyStorage;
  readonly search: SearchStorage;
  readonly support: SupportStorage;
  readonly groups: GroupStorage;
  readonly #appends: AppendQueue;
  readonly #where: string;
  #epoch = '';

  constructor(options: PostgresStorageOptions) {
    this.#db = new PgDatabase(options);
    this.presence = postgresPresence(this.#db);
    this.accounts = postgresAccounts(this.#db);
    this.files = postgresFiles(this.#db);
    this.push = postgresPush(this.#db);
    this.webhooks = postgresWebhooks(this.#db);
    this.idempotency = postgresIdempotency(this.#db);
    this.search = postgresSearch(this.#db);
    this.support = postgresSupport(this.#db);
    this.groups = postgresGroups(this.#db);
    this.#appends = new AppendQueue(this.#db);
    this.#where = describeDatabase(options.connectionString);
  }

  async migrate(): Promise<void> {
    try {
      await applyMigrations(this.#db);
    } catch (error) {
      const cause = error instanceof CommandError && error.cause instanceof Error ? error.cause : error;
      throw new Error(`cannot use PostgreSQL at ${this.#where}: ${(cause as Error).message}`, { cause });
    }
    this.#epoch = (await this.#db.row<{ value: string }>(`SELECT value FROM meta WHERE key = 'epoch'`))!.value;
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return this.#db.statementCount;
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    await this.#appends.drain();
    await this.#db.close();
  }

  async ensureSingleConversation(input: {
    id: string;
    memberIds: [string, string];
    createdBy: string;
    now: number;
  }): Promise<ConversationRecord> {
    const [first, second] = input.memberIds;
    if (first === second) throw new Error('a single conversation needs two different members');
    return this.#db.transaction((tx) => core.ensureSingleConversation(tx, input));
  }

  getConversation(id: string): Promise<ConversationRecord | null> {
    return core.getConversation(this.#db, id);
  }

  getConversationView(conversationId: string, userId: string): Promise<Conversation | null> {
    return core.getConversationView(this.#db, conversationId, userId);
  }

  listConversationIds(userId: string): Promise<string[]> {
    return core.listConversationIds(this.#db, userId);
  }

  listMemberIds(conversationId: string): Promise<string[]> {
    return core.listMemberIds(this.#db, conversationId);
  }

  async appendMessage(input: AppendMessageInput): Promise<AppendMessageResult> {
    if (this.#db.closed) throw new CommandError('unavailable', 'storage is closed');
    return this.#appends.submit(input);
  }

  async findMessage(senderId: string, clientId: string): Promise<Message | null> {
    const row = await this.#db.row<MessageRow>(
      `${core.messageSelect} WHERE sender_id = $1 AND client_id = $2`,
      [senderId, clientId],
    );
    return row ? toMessage(row) : null;
  }

  async getMessages(
    conversationId: string,
    query: HistoryQuery,
  ): Promise<{ messages: Message[]; hasMore: boolean }> {
    const maxSeq = query.maxSeq ?? Number.MAX_SAFE_INTEGER;
    // One row past the page tells whether more exist in that direction.
    const rows =
      query.afterSeq !== undefined
        ? await this.#db.rows<MessageRow>(
            `${core.messageSelect} WHERE conversation_id = $1 AND seq > $2 AND seq <= $3
             ORDER BY seq ASC LIMIT $4`,
            [conversationId, query.afterSeq, Math.min(maxSeq, 2 ** 31 - 1), query.limit + 1],
          )
        : await this.#db.rows<MessageRow>(
            `${core.messageSelect} WHERE conversation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
            [
              conversationId,
              Math.min(query.beforeSeq ?? Number.MAX_SAFE_INTEGER, maxSeq + 1, 2 ** 31 - 1),
              query.limit + 1,
            ],
          );
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (query.afterSeq === undefined) page.reverse();
    return { messages: page.map(toMessage), hasMore };
  }

  markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark> {
    return this.#db.transaction((tx) => core.markRead(tx, conversationId, userId, seq));
  }

  async changedConversations(
    userId: string,
    cursor: string | null,
    limit: number,
  ): Promise<ConversationChanges> {
    const { since, afterId, reset } = parseChangeCursor(cursor, this.#epoch);
    const rows = await core.changedConversations(this.#db, { userId, since, afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      conversations: page.map(toConversation),
      cursor: last ? formatChangeCursor(this.#epoch, last.change_version, last.id) : formatChangeCursor(this.#epoch, since, afterId),
      hasMore: rows.length > limit,
      reset,
    };
  }

  getMessage(conversationId: string, seq: number): Promise<Message | null> {
    return state.getMessage(this.#db, conversationId, seq);
  }

  changeMessage(input: MessageChangeInput): Promise<MessageChangeResult> {
    return this.#db.transaction((tx) => state.changeMessage(tx, input));
  }

  markDelivered(conversationId: string, userId: string, seq: number) {
    return this.#db.transaction((tx) => state.markDelivered(tx, conversationId, userId, seq));
  }

  listReceipts(conversationId: string): Promise<Receipt[]> {
    return state.listReceipts(this.#db, conversationId);
  }

  countReaders(
    conversationId: string,
    input: { seq: number; senderId: string; limit: number },
  ): Promise<ReadersCount> {
    return state.countReaders(this.#db, conversationId, input);
  }

  updateMemberSettings(
    conversationId: string,
    userId: string,
    changes: MemberSettingsChanges,
    now: number,
  ): Promise<Conversation> {
    return this.#db.transaction((tx) =>
      state.updateMemberSettings(tx, { conversationId, userId, changes, now }),
    );
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
