import type {
  GroupPreview,
  Invite,
  JoinPolicy,
  JoinRequest,
  PageView,
  SupportActivity,
  User,
} from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
import type { FileCopy, FileRecord, RemovedFiles, UploadUsage } from '../file-storage.js';
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
import { postgresPresence } from '../presence/postgres.js';
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
import type { Storage } from '../storage.js';
import type { ConversationStorage } from '../conversations/contract.js';
import { postgresConversations } from '../conversations/postgres.js';
import { postgresMessages, type PostgresMessages } from '../messages/postgres.js';
import type { ReadStateStorage } from '../reads/contract.js';
import { postgresReadState } from '../reads/postgres.js';
import { applyMigrations } from './migrations.js';
import * as core from './pg-conversations.js';
import { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
import * as groups from './pg-groups.js';
import * as invites from './pg-invites.js';
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
  readonly conversations: ConversationStorage;
  readonly messages: PostgresMessages;
  readonly reads: ReadStateStorage;
  readonly #where: string;

  constructor(options: PostgresStorageOptions) {
    this.#db = new PgDatabase(options);
    this.presence = postgresPresence(this.#db);
    this.conversations = postgresConversations(this.#db);
    this.messages = postgresMessages(this.#db);
    this.reads = postgresReadState(this.#db);
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

  upsertUser(user: User, now: number): Promise<void> {
    return core.upsertUser(this.#db, user, now);
  }

  getUsers(ids: readonly string[]): Promise<User[]> {
    return core.getUsers(this.#db, ids);
  }

  searchUsers(query: string, options: { excludeId: string; limit: number }): Promise<User[]> {
    return core.searchUsers(this.#db, query, options);
  }

  createGroup(input: CreateGroupInput): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.createGroup(tx, input));
  }

  updateGroup(input: GroupActor & { changes: GroupSettingsChanges }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.updateGroup(tx, input));
  }

  addMembers(input: GroupActor & { userIds: readonly string[] }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.addMembers(tx, input));
  }

  removeMember(input: GroupActor & { userId: string }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.removeMember(tx, input));
  }

  setMemberRole(input: GroupActor & { userId: string; role: 'admin' | 'member' }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.setMemberRole(tx, input));
  }

  transferOwnership(input: GroupActor & { userId: string }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.transferOwnership(tx, input));
  }

  muteMember(input: GroupActor & { userId: string; muted: boolean }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.muteMember(tx, input));
  }

  muteAll(input: GroupActor & { muted: boolean }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.muteAll(tx, input));
  }

  setJoinPolicy(input: GroupActor & { joinPolicy: JoinPolicy }): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.setJoinPolicy(tx, input));
  }

  leaveGroup(input: GroupActor): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.leaveGroup(tx, input));
  }

  dismissGroup(input: GroupActor): Promise<GroupChange> {
    return this.#db.transaction((tx) => groups.dismissGroup(tx, input));
  }

  getConversationAccess(conversationId: string): Promise<ConversationAccess | null> {
    return groups.conversationAccess(this.#db, conversationId);
  }

  getMembership(conversationId: string, userId: string): Promise<Membership | null> {
    return groups.membership(this.#db, conversationId, userId);
  }

  listMembers(conversationId: string, page: { cursor: string | null; limit: number }): Promise<MemberPage> {
    return groups.memberPage(this.#db, conversationId, page);
  }

  createInvite(
    input: GroupActor & { code: string; expiresAt: number | null; maxUses: number | null },
  ): Promise<Invite> {
    return this.#db.transaction((tx) => invites.createInvite(tx, input));
  }

  revokeInvite(input: GroupActor & { code: string }): Promise<Invite> {
    return this.#db.transaction((tx) => invites.revokeInvite(tx, input));
  }

  listInvites(conversationId: string, now: number): Promise<Invite[]> {
    return invites.usableInvites(this.#db, conversationId, now);
  }

  previewInvite(
    code: string,
    userId: string,
    now: number,
  ): Promise<{ group: GroupPreview; membership: InviteMembership }> {
    return invites.previewInvite(this.#db, { code, userId, now });
  }

  joinWithInvite(input: { code: string; userId: string; now: number }): Promise<InviteJoin> {
    return this.#db.transaction((tx) => invites.joinWithInvite(tx, input));
  }

  listJoinRequests(conversationId: string): Promise<JoinRequest[]> {
    return invites.joinRequests(this.#db, conversationId);
  }

  decideJoinRequest(input: GroupActor & { userId: string; approve: boolean }): Promise<JoinDecision> {
    return this.#db.transaction((tx) => invites.decideJoinRequest(tx, input));
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
