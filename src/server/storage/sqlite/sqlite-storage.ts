import Database from 'better-sqlite3';
import type {
  GroupPreview,
  Invite,
  JoinPolicy,
  JoinRequest,
  PageView,
  SupportActivity,
  User,
} from '../../../protocol/index.js';
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../file-storage.js';
import type { IdempotencyClaim, IdempotentRequest } from '../idempotency-storage.js';
import type { ErasedUserData, SaveUserAccountInput, UserAccount } from '../user-account-storage.js';
import type {
  FailedWebhookDelivery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from '../webhook-storage.js';
import type {
  ConversationAccess,
  CreateGroupInput,
  GroupActor,
  GroupChange,
  GroupSettingsChanges,
  MemberPage,
  Membership,
} from '../group-storage.js';
import type { InviteJoin, InviteMembership, JoinDecision } from '../invite-storage.js';
import type { PushSubscriptionRecord, PushTargets, VapidKeys } from '../push-storage.js';
import type { MessageSearchPage, MessageSearchQuery } from '../search-storage.js';
import type { StatementCount } from '../statement-count.js';
import type { PresenceStorage } from '../presence/contract.js';
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
import type { Storage } from '../storage.js';
import type { ConversationStorage } from '../conversations/contract.js';
import { sqliteConversations } from '../conversations/sqlite.js';
import { sqliteMessages, type SqliteMessages } from '../messages/sqlite.js';
import type { ReadStateStorage } from '../reads/contract.js';
import { sqliteReadState } from '../reads/sqlite.js';
import { applyMigrations, requireCurrentSchema } from './migrations.js';
import { toAccount } from '../account-rows.js';
import * as accounts from './sqlite-accounts.js';
import { SqliteFiles } from './sqlite-files.js';
import { SqliteIdempotency } from './sqlite-idempotency.js';
import { SqliteWebhooks } from './sqlite-webhooks.js';
import * as groups from './sqlite-groups.js';
import * as invites from './sqlite-invites.js';
import { sqlitePresence } from '../presence/sqlite.js';
import { SqliteConnection, storageClosed, translateError } from './connection.js';
import * as push from './sqlite-push.js';
import * as search from './sqlite-search.js';
import { toUser } from '../rows.js';
import { prepareStatements, type Statements } from './statements.js';
import * as support from './sqlite-support.js';

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
  readonly conversations: ConversationStorage;
  readonly messages: SqliteMessages;
  readonly reads: ReadStateStorage;
  readonly #statementsRun = { statements: 0, transactions: 0 };
  readonly #readonly: boolean;
  #sql: Statements | null = null;
  #files: SqliteFiles | null = null;
  #idempotency: SqliteIdempotency | null = null;
  #webhooks: SqliteWebhooks | null = null;

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
    this.conversations = sqliteConversations(this.#connection);
    this.messages = sqliteMessages(this.#connection);
    this.reads = sqliteReadState(this.#connection);
  }

  async migrate(): Promise<void> {
    try {
      if (this.#readonly) requireCurrentSchema(this.#db);
      else applyMigrations(this.#db);
      this.#sql = prepareStatements(this.#db);
      this.#files = new SqliteFiles(this.#db);
      this.#idempotency = new SqliteIdempotency(this.#db);
      this.#webhooks = new SqliteWebhooks(this.#db);
      this.#connection.migrated();
    } catch (error) {
      throw translateError(error);
    }
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Appends already accepted are committed, not dropped: their callers may be waiting.
    this.messages.flushAppends();
    this.#db.close();
  }

  /** Statements (BEGIN and COMMIT included) and transactions so far; 0 unless counted. */
  statementCount(): StatementCount {
    return { ...this.#statementsRun };
  }

  async upsertUser(user: User, now: number): Promise<void> {
    this.#run((sql) => sql.upsertUser.run({ ...user, now }));
  }

  async getUsers(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    return this.#run((sql) => sql.usersByIds.all(JSON.stringify(ids)).map(toUser));
  }

  async searchUsers(
    query: string,
    options: { excludeId: string; limit: number },
  ): Promise<User[]> {
    return this.#run((sql) => sql.searchUsers.all({ query, ...options }).map(toUser));
  }

  createGroup(input: CreateGroupInput): Promise<GroupChange> {
    return this.#write((sql) => groups.createGroup(sql, input));
  }

  updateGroup(input: GroupActor & { changes: GroupSettingsChanges }): Promise<GroupChange> {
    return this.#write((sql) => groups.updateGroup(sql, input));
  }

  addMembers(input: GroupActor & { userIds: readonly string[] }): Promise<GroupChange> {
    return this.#write((sql) => groups.addMembers(sql, input));
  }

  removeMember(input: GroupActor & { userId: string }): Promise<GroupChange> {
    return this.#write((sql) => groups.removeMember(sql, input));
  }

  setMemberRole(
    input: GroupActor & { userId: string; role: 'admin' | 'member' },
  ): Promise<GroupChange> {
    return this.#write((sql) => groups.setMemberRole(sql, input));
  }

  transferOwnership(input: GroupActor & { userId: string }): Promise<GroupChange> {
    return this.#write((sql) => groups.transferOwnership(sql, input));
  }

  muteMember(input: GroupActor & { userId: string; muted: boolean }): Promise<GroupChange> {
    return this.#write((sql) => groups.muteMember(sql, input));
  }

  muteAll(input: GroupActor & { muted: boolean }): Promise<GroupChange> {
    return this.#write((sql) => groups.muteAll(sql, input));
  }

  setJoinPolicy(input: GroupActor & { joinPolicy: JoinPolicy }): Promise<GroupChange> {
    return this.#write((sql) => groups.setJoinPolicy(sql, input));
  }

  leaveGroup(input: GroupActor): Promise<GroupChange> {
    return this.#write((sql) => groups.leaveGroup(sql, input));
  }

  dismissGroup(input: GroupActor): Promise<GroupChange> {
    return this.#write((sql) => groups.dismissGroup(sql, input));
  }

  async getConversationAccess(conversationId: string): Promise<ConversationAccess | null> {
    // Two reads that must agree: one snapshot.
    return this.#run((sql) =>
      this.#db.transaction(() => groups.conversationAccess(sql, conversationId))(),
    );
  }

  async getMembership(conversationId: string, userId: string): Promise<Membership | null> {
    return this.#run((sql) => groups.membership(sql, conversationId, userId));
  }

  async listMembers(
    conversationId: string,
    page: { cursor: string | null; limit: number },
  ): Promise<MemberPage> {
    return this.#run((sql) => groups.memberPage(sql, conversationId, page));
  }

  createInvite(
    input: GroupActor & { code: string; expiresAt: number | null; maxUses: number | null },
  ): Promise<Invite> {
    return this.#write((sql) => invites.createInvite(sql, input));
  }

  revokeInvite(input: GroupActor & { code: string }): Promise<Invite> {
    return this.#write((sql) => invites.revokeInvite(sql, input));
  }

  async listInvites(conversationId: string, now: number): Promise<Invite[]> {
    return this.#run((sql) => invites.usableInvites(sql, conversationId, now));
  }

  async previewInvite(
    code: string,
    userId: string,
    now: number,
  ): Promise<{ group: GroupPreview; membership: InviteMembership }> {
    return this.#run((sql) =>
      this.#db.transaction(() => invites.previewInvite(sql, code, userId, now))(),
    );
  }

  joinWithInvite(input: { code: string; userId: string; now: number }): Promise<InviteJoin> {
    return this.#write((sql) => invites.joinWithInvite(sql, input));
  }

  async listJoinRequests(conversationId: string): Promise<JoinRequest[]> {
    return this.#run((sql) => invites.joinRequests(sql, conversationId));
  }

  decideJoinRequest(
    input: GroupActor & { userId: string; approve: boolean },
  ): Promise<JoinDecision> {
    return this.#write((sql) => invites.decideJoinRequest(sql, input));
  }

  async addFile(record: FileRecord): Promise<void> {
    this.#run(() => this.#files!.add(record));
  }

  async getFile(id: string): Promise<FileRecord | null> {
    return this.#run(() => this.#files!.get(id));
  }

  async forwardFile(sourceId: string, copy: FileCopy): Promise<FileRecord | null> {
    return this.#run(() => this.#files!.forward(sourceId, copy));
  }

  async uploadUsage(userId: string): Promise<UploadUsage> {
    return this.#run(() => this.#files!.usage(userId));
  }

  async removeUnsentFiles(input: { createdBefore: number; limit: number }): Promise<RemovedFiles> {
    return this.#run(() => this.#files!.removeUnsent(input));
  }

  async fileAccessSecret(): Promise<Uint8Array> {
    return this.#run(() => this.#files!.secret());
  }


  async vapidKeys(candidate: VapidKeys): Promise<VapidKeys> {
    return this.#run((sql) => push.vapidKeys(sql, candidate));
  }

  savePushSubscription(subscription: PushSubscriptionRecord, now: number): Promise<void> {
    return this.#write((sql) => push.savePushSubscription(sql, subscription, now));
  }

  async deletePushSubscription(endpoint: string, userId: string | null): Promise<void> {
    this.#run((sql) => push.deletePushSubscription(sql, endpoint, userId));
  }

  async pushTargets(input: {
    conversationId: string;
    senderId: string;
    userIds: readonly string[];
  }): Promise<PushTargets> {
    return this.#run((sql) => this.#db.transaction(() => push.pushTargets(sql, input))());
  }

  async searchMessages(userId: string, query: MessageSearchQuery): Promise<MessageSearchPage> {
    return this.#run((sql) => search.searchMessages(sql, userId, query));
  }

  grantAgentRole(userIds: readonly string[], now: number): Promise<void> {
    return this.#write((sql) => support.grantAgentRole(sql, userIds, now));
  }

  revokeAgentRole(userId: string, now: number): Promise<{ left: string[]; unassigned: string[] }> {
    return this.#write((sql) => support.revokeAgentRole(sql, userId, now));
  }

  async listAgentIds(): Promise<string[]> {
    return this.#run((sql) => sql.agentIds.all());
  }

  async isAgent(userId: string): Promise<boolean> {
    return this.#run((sql) => sql.isAgent.get(userId) === 1);
  }

  joinOpenCases(agentId: string, now: number): Promise<string[]> {
    return this.#write((sql) => support.joinOpenCases(sql, agentId, now));
  }

  visitorTokenSecret(): Promise<Uint8Array> {
    return this.#write((sql) => support.visitorTokenSecret(sql));
  }

  createVisitor(input: { id: string; secretHash: string; now: number }): Promise<VisitorRecord> {
    return this.#write((sql) => support.createVisitor(sql, input));
  }

  async getVisitor(id: string): Promise<VisitorRecord | null> {
    return this.#run((sql) => support.getVisitor(sql, id));
  }

  async claimedVisitorIds(userId: string): Promise<string[]> {
    return this.#run((sql) => sql.claimedVisitorIds.all(userId));
  }

  ensureSupportConversation(
    input: CreateSupportConversationInput,
  ): Promise<{ record: SupportCaseRecord; created: boolean }> {
    return this.#write((sql) => support.ensureSupportConversation(sql, input));
  }

  async latestCaseOf(customerId: string): Promise<SupportCaseRecord | null> {
    return this.#run((sql) => support.latestCaseOf(sql, customerId));
  }

  async getCase(conversationId: string): Promise<SupportCaseRecord | null> {
    return this.#run((sql) => support.getCase(sql, conversationId));
  }

  updateCaseDetails(conversationId: string, details: CaseDetails, now: number): Promise<SupportChange> {
    return this.#write((sql) => support.updateCaseDetails(sql, conversationId, details, now));
  }

  assignCase(input: AssignCaseInput): Promise<SupportChange> {
    return this.#write((sql) => support.assignCase(sql, input));
  }

  setCaseStatus(input: CaseStatusInput): Promise<SupportChange> {
    return this.#write((sql) => support.setCaseStatus(sql, input));
  }

  recordAway(input: AwayInput): Promise<SupportChange> {
    return this.#write((sql) => support.recordAway(sql, input));
  }

  async openCaseCounts(): Promise<Map<string, number>> {
    return this.#run((sql) => support.openCaseCounts(sql));
  }

  async lastAssignedAt(agentIds: readonly string[]): Promise<Map<string, number>> {
    return this.#run((sql) => support.lastAssignedAt(sql, agentIds));
  }

  async caseDetails(conversationId: string): Promise<{ pages: PageView[]; activity: SupportActivity[] }> {
    return this.#run((sql) => this.#db.transaction(() => support.caseDetails(sql, conversationId))());
  }

  claimVisitor(input: { visitorId: string; user: User; now: number }): Promise<ClaimResult> {
    return this.#write((sql) => support.claimVisitor(sql, input));
  }

  saveUserAccount(input: SaveUserAccountInput, now: number): Promise<UserAccount> {
    return this.#write((sql) => accounts.saveUserAccount(sql, input, now));
  }

  async getUserAccount(userId: string): Promise<UserAccount | null> {
    return this.#run((sql) => {
      const row = sql.account.get(userId);
      return row ? toAccount(row) : null;
    });
  }

  setUserBlocked(userId: string, blocked: boolean, now: number): Promise<UserAccount> {
    return this.#write((sql) => accounts.setUserBlocked(sql, userId, blocked, now));
  }

  markUserDeleted(userId: string, now: number): Promise<UserAccount> {
    return this.#write((sql) => accounts.markUserDeleted(sql, userId, now));
  }

  eraseUserMessages(userId: string): Promise<ErasedUserData> {
    return this.#write((sql) => accounts.eraseUserMessages(sql, userId));
  }

  async claimIdempotencyKey(request: IdempotentRequest): Promise<IdempotencyClaim> {
    return this.#run(() => this.#idempotency!.claim(request));
  }

  async finishIdempotentRequest(input: { scope: string; key: string; status: number; body: string }): Promise<void> {
    this.#run(() => this.#idempotency!.finish(input));
  }

  async releaseIdempotencyKey(input: { scope: string; key: string }): Promise<void> {
    this.#run(() => this.#idempotency!.release(input));
  }

  async pruneIdempotencyKeys(before: number): Promise<void> {
    this.#run(() => this.#idempotency!.prune(before));
  }

  async saveWebhook(endpoint: WebhookEndpoint): Promise<void> {
    this.#run(() => this.#webhooks!.save(endpoint));
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return this.#run(() => this.#webhooks!.list());
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.#run(() => this.#webhooks!.delete(id));
  }

  async enqueueWebhookEvent(event: WebhookEvent, webhookIds: readonly string[]): Promise<void> {
    this.#run(() => this.#webhooks!.enqueue(event, webhookIds));
  }

  async dueWebhookDeliveries(input: {
    now: number;
    limit: number;
    excluding: readonly string[];
  }): Promise<WebhookDelivery[]> {
    return this.#run(() => this.#webhooks!.due(input));
  }

  async nextWebhookAttemptAt(): Promise<number | null> {
    return this.#run(() => this.#webhooks!.nextAttemptAt());
  }

  async completeWebhookDelivery(deliveryId: string): Promise<void> {
    this.#run(() => this.#webhooks!.complete(deliveryId));
  }

  async failWebhookDelivery(deliveryId: string, input: { error: string; retryAt: number | null }): Promise<void> {
    this.#run(() => this.#webhooks!.fail(deliveryId, input));
  }

  async listFailedWebhookDeliveries(webhookId: string, limit: number): Promise<FailedWebhookDelivery[]> {
    return this.#run(() => this.#webhooks!.failed(webhookId, limit));
  }

  /** One write transaction around a group or invite change. */
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
