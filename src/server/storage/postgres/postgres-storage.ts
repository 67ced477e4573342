import type {
  Conversation,
  Message,
  PageView,
  Receipt,
  SupportActivity,
  User,
} from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import { formatChangeCursor, parseChangeCursor } from '../change-cursor.js';
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../file-storage.js';
import type {
  MemberSettingsChanges,
  MessageChangeInput,
  MessageChangeResult,
  ReadersCount,
} from '../message-state-storage.js';
import type { PushSubscriptionRecord, PushTargets, VapidKeys } from '../push-storage.js';
import { toConversation, toMessage, type MessageRow } from '../rows.js';
import type { MessageSearchPage, MessageSearchQuery } from '../search-storage.js';
import type { StatementCount } from '../statement-count.js';
import type { PresenceStorage } from '../presence/contract.js';
import { postgresPresence } from '../presence/postgres.js';
import type { GroupStorage } from '../groups/contract.js';
import { postgresGroups } from '../groups/postgres.js';
import type { IdempotencyClaim, IdempotentRequest } from '../idempotency-storage.js';
import type { ErasedUserData, SaveUserAccountInput, UserAccount } from '../user-account-storage.js';
import type {
  FailedWebhookDelivery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from '../webhook-storage.js';
import type {
  AssignCaseInput,
  AwayInput,
  CaseDetails,
  CaseStatusInput,
  ClaimResult,
  CreateSupportConversationInput,
  SupportCaseRecord,
  SupportChange,
  VisitorRecord,
} from '../support-storage.js';
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
import * as records from './pg-records.js';
import { searchMessages } from './pg-search.js';
import * as support from './pg-support.js';
import * as accounts from './pg-accounts.js';
import * as webhooks from './pg-webhooks.js';

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
  readonly groups: GroupStorage;
  readonly #appends: AppendQueue;
  readonly #where: string;
  #epoch = '';

  constructor(options: PostgresStorageOptions) {
    this.#db = new PgDatabase(options);
    this.presence = postgresPresence(this.#db);
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

  upsertUser(user: User, now: number): Promise<void> {
    return core.upsertUser(this.#db, user, now);
  }

  getUsers(ids: readonly string[]): Promise<User[]> {
    return core.getUsers(this.#db, ids);
  }

  searchUsers(query: string, options: { excludeId: string; limit: number }): Promise<User[]> {
    return core.searchUsers(this.#db, query, options);
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

  addFile(record: FileRecord): Promise<void> {
    return records.addFile(this.#db, record);
  }

  getFile(id: string): Promise<FileRecord | null> {
    return records.getFile(this.#db, id);
  }

  forwardFile(sourceId: string, copy: FileCopy): Promise<FileRecord | null> {
    return records.forwardFile(this.#db, sourceId, copy);
  }

  uploadUsage(userId: string): Promise<UploadUsage> {
    return records.uploadUsage(this.#db, userId);
  }

  removeUnsentFiles(input: { createdBefore: number; limit: number }): Promise<RemovedFiles> {
    return records.removeUnsentFiles(this.#db, input);
  }

  fileAccessSecret(): Promise<Uint8Array> {
    return records.fileAccessSecret(this.#db);
  }


  vapidKeys(candidate: VapidKeys): Promise<VapidKeys> {
    return records.vapidKeys(this.#db, candidate);
  }

  savePushSubscription(subscription: PushSubscriptionRecord, now: number): Promise<void> {
    return this.#db.transaction((tx) => records.savePushSubscription(tx, subscription, now));
  }

  deletePushSubscription(endpoint: string, userId: string | null): Promise<void> {
    return records.deletePushSubscription(this.#db, endpoint, userId);
  }

  pushTargets(input: {
    conversationId: string;
    senderId: string;
    userIds: readonly string[];
  }): Promise<PushTargets> {
    return records.pushTargets(this.#db, input);
  }

  searchMessages(userId: string, query: MessageSearchQuery): Promise<MessageSearchPage> {
    return searchMessages(this.#db, userId, query);
  }

  grantAgentRole(userIds: readonly string[], now: number): Promise<void> {
    return this.#db.transaction((tx) => support.grantAgentRole(tx, userIds, now));
  }

  revokeAgentRole(userId: string, now: number): Promise<{ left: string[]; unassigned: string[] }> {
    return this.#db.transaction((tx) => support.revokeAgentRole(tx, userId, now));
  }

  listAgentIds(): Promise<string[]> {
    return support.listAgentIds(this.#db);
  }

  isAgent(userId: string): Promise<boolean> {
    return support.isAgent(this.#db, userId);
  }

  joinOpenCases(agentId: string, now: number): Promise<string[]> {
    return this.#db.transaction((tx) => support.joinOpenCases(tx, agentId, now));
  }

  visitorTokenSecret(): Promise<Uint8Array> {
    return support.visitorTokenSecret(this.#db);
  }

  createVisitor(input: { id: string; secretHash: string; now: number }): Promise<VisitorRecord> {
    return this.#db.transaction((tx) => support.createVisitor(tx, input));
  }

  getVisitor(id: string): Promise<VisitorRecord | null> {
    return support.getVisitor(this.#db, id);
  }

  ensureSupportConversation(
    input: CreateSupportConversationInput,
  ): Promise<{ record: SupportCaseRecord; created: boolean }> {
    return this.#db.transaction((tx) => support.ensureSupportConversation(tx, input));
  }

  latestCaseOf(customerId: string): Promise<SupportCaseRecord | null> {
    return support.latestCaseOf(this.#db, customerId);
  }

  getCase(conversationId: string): Promise<SupportCaseRecord | null> {
    return support.getCase(this.#db, conversationId);
  }

  updateCaseDetails(conversationId: string, details: CaseDetails, now: number): Promise<SupportChange> {
    return this.#db.transaction((tx) => support.updateCaseDetails(tx, conversationId, details, now));
  }

  assignCase(input: AssignCaseInput): Promise<SupportChange> {
    return this.#db.transaction((tx) => support.assignCase(tx, input));
  }

  setCaseStatus(input: CaseStatusInput): Promise<SupportChange> {
    return this.#db.transaction((tx) => support.setCaseStatus(tx, input));
  }

  recordAway(input: AwayInput): Promise<SupportChange> {
    return this.#db.transaction((tx) => support.recordAway(tx, input));
  }

  openCaseCounts(): Promise<Map<string, number>> {
    return support.openCaseCounts(this.#db);
  }

  lastAssignedAt(agentIds: readonly string[]): Promise<Map<string, number>> {
    return support.lastAssignedAt(this.#db, agentIds);
  }

  caseDetails(conversationId: string): Promise<{ pages: PageView[]; activity: SupportActivity[] }> {
    return support.caseDetails(this.#db, conversationId);
  }

  claimVisitor(input: { visitorId: string; user: User; now: number }): Promise<ClaimResult> {
    return this.#db.transaction((tx) => support.claimVisitor(tx, input));
  }

  claimedVisitorIds(userId: string): Promise<string[]> {
    return support.claimedVisitorIds(this.#db, userId);
  }

  saveUserAccount(input: SaveUserAccountInput, now: number): Promise<UserAccount> {
    return this.#db.transaction((tx) => accounts.saveUserAccount(tx, input, now));
  }

  getUserAccount(userId: string): Promise<UserAccount | null> {
    return accounts.getUserAccount(this.#db, userId);
  }

  setUserBlocked(userId: string, blocked: boolean, now: number): Promise<UserAccount> {
    return this.#db.transaction((tx) => accounts.setUserBlocked(tx, userId, blocked, now));
  }

  markUserDeleted(userId: string, now: number): Promise<UserAccount> {
    return this.#db.transaction((tx) => accounts.markUserDeleted(tx, userId, now));
  }

  eraseUserMessages(userId: string): Promise<ErasedUserData> {
    return this.#db.transaction((tx) => accounts.eraseUserMessages(tx, userId));
  }

  claimIdempotencyKey(request: IdempotentRequest): Promise<IdempotencyClaim> {
    return this.#db.transaction((tx) => webhooks.claimIdempotencyKey(tx, request));
  }

  finishIdempotentRequest(input: { scope: string; key: string; status: number; body: string }): Promise<void> {
    return webhooks.finishIdempotentRequest(this.#db, input);
  }

  releaseIdempotencyKey(input: { scope: string; key: string }): Promise<void> {
    return webhooks.releaseIdempotencyKey(this.#db, input);
  }

  pruneIdempotencyKeys(before: number): Promise<void> {
    return webhooks.pruneIdempotencyKeys(this.#db, before);
  }

  saveWebhook(endpoint: WebhookEndpoint): Promise<void> {
    return webhooks.saveWebhook(this.#db, endpoint);
  }

  listWebhooks(): Promise<WebhookEndpoint[]> {
    return webhooks.listWebhooks(this.#db);
  }

  deleteWebhook(id: string): Promise<boolean> {
    return webhooks.deleteWebhook(this.#db, id);
  }

  enqueueWebhookEvent(event: WebhookEvent, webhookIds: readonly string[]): Promise<void> {
    return webhooks.enqueueWebhookEvent(this.#db, event, webhookIds);
  }

  dueWebhookDeliveries(input: { now: number; limit: number; excluding: readonly string[] }): Promise<WebhookDelivery[]> {
    return webhooks.dueWebhookDeliveries(this.#db, input);
  }

  nextWebhookAttemptAt(): Promise<number | null> {
    return webhooks.nextWebhookAttemptAt(this.#db);
  }

  completeWebhookDelivery(deliveryId: string): Promise<void> {
    return webhooks.completeWebhookDelivery(this.#db, deliveryId);
  }

  failWebhookDelivery(deliveryId: string, input: { error: string; retryAt: number | null }): Promise<void> {
    return webhooks.failWebhookDelivery(this.#db, deliveryId, input);
  }

  listFailedWebhookDeliveries(webhookId: string, limit: number): Promise<FailedWebhookDelivery[]> {
    return webhooks.listFailedWebhookDeliveries(this.#db, webhookId, limit);
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
