/**
 * Support on SQLite. Each function runs inside the transaction its caller opened
 * (SqliteStorage): writes in a write transaction, reads that must agree in one snapshot.
 */
import { randomBytes } from 'node:crypto';
import { limits } from '../../../protocol/limits.js';
import type { Message, PageView, SupportActivity, User } from '../../../protocol/index.js';
import { CommandError } from '../../errors.js';
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
import { toUser } from '../rows.js';
import type { Statements } from './statements.js';
import { parseContext, toActivity, toCaseRecord, type VisitorRow } from '../support-rows.js';
import { recordSystemEvent } from './system-events.js';
import { assignmentApplies, withDetails, withStatus } from '../support-decisions.js';

const activityKept = 100;

export function grantAgentRole(sql: Statements, userIds: readonly string[], now: number): void {
  for (const userId of userIds) sql.grantAgent.run(userId, now);
}

export function revokeAgentRole(
  sql: Statements,
  userId: string,
  now: number,
): { left: string[]; unassigned: string[] } {
  if (!sql.isAgent.get(userId)) return { left: [], unassigned: [] };
  sql.deleteAgent.run(userId);
  const version = sql.nextVersion.get()!.value;
  const waiting = sql.openCasesOf.all(userId);
  for (const conversationId of waiting) {
    const record = requireCase(sql, conversationId);
    saveCase(sql, { ...record, assigneeId: null, awayNotified: false }, version);
    logActivity(sql, conversationId, { kind: 'assigned', by: null, agentId: null, at: now });
  }
  const left = sql.leaveSupportCases.all({ userId, version });
  for (const conversationId of left) sql.countMembers.run(conversationId);
  return { left, unassigned: waiting };
}

export function joinOpenCases(sql: Statements, agentId: string, now: number): string[] {
  if (!sql.isAgent.get(agentId)) return [];
  const missing = sql.openCasesWithout.all({ agentId });
  if (missing.length === 0) return [];
  const version = sql.nextVersion.get()!.value;
  for (const conversationId of missing) {
    sql.joinSilently.run({ conversationId, userId: agentId, now, version });
    sql.countMembers.run(conversationId);
  }
  return missing;
}

const visitorSecretKey = 'visitor_token_secret';

/** Two processes starting at once agree: the first insert wins, both read it back. */
export function visitorTokenSecret(sql: Statements): Uint8Array {
  sql.offerMeta.run(visitorSecretKey, randomBytes(32).toString('base64url'));
  return Buffer.from(sql.readMeta.get(visitorSecretKey)!, 'base64url');
}

export function createVisitor(
  sql: Statements,
  input: { id: string; secretHash: string; now: number },
): VisitorRecord {
  const number = sql.nextVisitorNumber.get()!.value;
  sql.upsertUser.run({ id: input.id, name: `Visitor #${number}`, avatar: null, now: input.now });
  sql.insertVisitor.run({ id: input.id, number, secretHash: input.secretHash, now: input.now });
  return { id: input.id, number, secretHash: input.secretHash, claimedBy: null };
}

export function getVisitor(sql: Statements, id: string): VisitorRecord | null {
  const row = sql.visitor.get(id);
  return row ? toVisitor(row) : null;
}

export function ensureSupportConversation(
  sql: Statements,
  input: CreateSupportConversationInput,
): { record: SupportCaseRecord; created: boolean } {
  const existing = latestCaseOf(sql, input.customerId);
  if (existing) return { record: existing, created: false };
  if (sql.isAgent.get(input.customerId)) {
    throw new CommandError('forbidden', 'agents answer support conversations; they do not open them');
  }
  if (!sql.usersByIds.all(JSON.stringify([input.customerId])).length) {
    throw new CommandError('not_found', 'no such customer');
  }
  const version = sql.nextVersion.get()!.value;
  const { id, now } = input;
  sql.insertSupportConversation.run({ id, customerId: input.customerId, name: input.name, now, version });
  sql.insertCase.run({
    conversationId: id,
    customerId: input.customerId,
    email: input.email,
    pageUrl: input.page?.url ?? null,
    pageTitle: input.page?.title ?? null,
    context: input.context ? JSON.stringify(input.context) : null,
    now,
  });
  sql.insertMember.run(id, input.customerId, now);
  for (const agentId of sql.existingAgentIds.all()) {
    sql.joinSilently.run({ conversationId: id, userId: agentId, now, version });
  }
  sql.countMembers.run(id);
  if (input.page) addPageView(sql, id, { ...input.page, context: input.context, at: now });
  return { record: requireCase(sql, id), created: true };
}

export function latestCaseOf(sql: Statements, customerId: string): SupportCaseRecord | null {
  const row = sql.latestCaseOf.get(customerId);
  return row ? toCaseRecord(row) : null;
}

export function getCase(sql: Statements, conversationId: string): SupportCaseRecord | null {
  const row = sql.caseById.get(conversationId);
  return row ? toCaseRecord(row) : null;
}

export function updateCaseDetails(
  sql: Statements,
  conversationId: string,
  details: CaseDetails,
  now: number,
): SupportChange {
  const record = requireCase(sql, conversationId);
  const { next, changed } = withDetails(record, details);
  if (details.page) addPageView(sql, conversationId, { ...details.page, context: next.context, at: now });
  if (changed) saveCase(sql, next, sql.nextVersion.get()!.value);
  return { case: changed ? requireCase(sql, conversationId) : record, events: [], changed };
}

export function assignCase(
  sql: Statements,
  input: AssignCaseInput,
): SupportChange {
  const record = requireCase(sql, input.conversationId);
  if (!assignmentApplies(record, input.agentId, input.onlyIfUnassigned)) return { case: record, events: [], changed: false };
  if (!sql.isAgent.get(input.agentId)) throw new CommandError('not_found', 'no such agent');
  const membership = sql.member.get(input.conversationId, input.agentId);
  if (membership?.state !== 'active') throw new CommandError('not_found', 'no such agent in this case');
  const [agent] = sql.usersByIds.all(JSON.stringify([input.agentId])).map(toUser);
  const version = sql.nextVersion.get()!.value;
  const event = recordSystemEvent(sql, {
    conversationId: input.conversationId,
    senderId: input.agentId,
    event: { kind: 'support.agent-joined', agent: agent! },
    now: input.now,
    version,
  });
  saveCase(sql, { ...record, assigneeId: input.agentId, awayNotified: false }, version);
  sql.touchAssigned.run(input.now, input.agentId);
  logActivity(sql, input.conversationId, {
    kind: 'assigned',
    by: input.by,
    agentId: input.agentId,
    at: input.now,
  });
  return { case: requireCase(sql, input.conversationId), events: [event], changed: true };
}

export function setCaseStatus(
  sql: Statements,
  input: CaseStatusInput,
): SupportChange {
  const record = requireCase(sql, input.conversationId);
  const change = withStatus(record, input);
  if (!change) return { case: record, events: [], changed: false };
  saveCase(sql, change.next, sql.nextVersion.get()!.value);
  logActivity(sql, input.conversationId, change.activity);
  return { case: requireCase(sql, input.conversationId), events: [], changed: true };
}

export function recordAway(
  sql: Statements,
  input: AwayInput,
): SupportChange {
  const record = requireCase(sql, input.conversationId);
  if (record.awayNotified) return { case: record, events: [], changed: false };
  const version = sql.nextVersion.get()!.value;
  const event = recordSystemEvent(sql, {
    conversationId: input.conversationId,
    senderId: record.customerId,
    event: { kind: 'support.away', nextOpenAt: input.nextOpenAt, message: input.message },
    now: input.now,
    version,
  });
  saveCase(sql, { ...record, awayNotified: true }, version);
  return { case: requireCase(sql, input.conversationId), events: [event], changed: true };
}

export function openCaseCounts(sql: Statements): Map<string, number> {
  return new Map(sql.openCaseCounts.all().map((row) => [row.assignee_id, row.open]));
}

export function lastAssignedAt(sql: Statements, agentIds: readonly string[]): Map<string, number> {
  const rows = sql.lastAssignedAt.all(JSON.stringify(agentIds));
  return new Map(rows.map((row) => [row.user_id, row.last_assigned_at]));
}

export function caseDetails(
  sql: Statements,
  conversationId: string,
): { pages: PageView[]; activity: SupportActivity[] } {
  return {
    pages: sql.pageViews.all(conversationId, limits.supportPagesKept).map((row) => ({
      url: row.url,
      title: row.title,
      context: parseContext(row.context),
      at: row.at,
    })),
    activity: sql.activity.all(conversationId, activityKept).map(toActivity),
  };
}

export function claimVisitor(
  sql: Statements,
  input: { visitorId: string; user: User; now: number },
): ClaimResult {
  const visitor = sql.visitor.get(input.visitorId);
  if (!visitor) throw new CommandError('not_found', 'no such visitor');
  if (visitor.claimed_by === input.user.id) return { conversationIds: [], events: [] };
  if (visitor.claimed_by !== null) throw new CommandError('not_found', 'no such visitor');
  if (sql.isAgent.get(input.user.id)) {
    throw new CommandError('forbidden', 'agents cannot take over a visitor’s conversations');
  }
  const [visitorUser] = sql.usersByIds.all(JSON.stringify([input.visitorId]));
  const version = sql.nextVersion.get()!.value;
  const conversationIds = sql.casesOfCustomer.all(input.visitorId);
  const events: Message[] = [];
  for (const conversationId of conversationIds) {
    const visitorMember = sql.member.get(conversationId, input.visitorId)!;
    const { read_seq: visitorRead } = sql.readPosition.get(conversationId, input.visitorId)!;
    const event = recordSystemEvent(sql, {
      conversationId,
      senderId: input.user.id,
      event: { kind: 'support.identified', visitorId: input.visitorId, visitorName: visitorUser!.name },
      now: input.now,
      version,
    });
    sql.joinSilently.run({ conversationId, userId: input.user.id, now: input.now, version });
    sql.setReadSeq.run({
      conversationId,
      userId: input.user.id,
      // What the visitor had not read yet (an agent's answer) stays unread.
      seq: visitorRead,
      version,
    });
    sql.saveMember.run({ ...visitorMember, conversation_id: conversationId, state: 'left', left_seq: event.seq, version });
    const record = requireCase(sql, conversationId);
    saveCase(sql, { ...record, customerId: input.user.id }, version);
    sql.countMembers.run(conversationId);
    events.push(event);
  }
  sql.claimVisitor.run({ id: input.visitorId, userId: input.user.id, now: input.now });
  return { conversationIds, events };
}

function requireCase(sql: Statements, conversationId: string): SupportCaseRecord {
  const row = sql.caseById.get(conversationId);
  if (!row) throw new CommandError('not_found', 'no such support conversation');
  return toCaseRecord(row);
}

/** Saves the case and lists the conversation in members' next sync. */
function saveCase(sql: Statements, record: SupportCaseRecord, version: number): void {
  sql.saveCase.run({
    conversationId: record.conversationId,
    customerId: record.customerId,
    status: record.status,
    assigneeId: record.assigneeId,
    email: record.email,
    pageUrl: record.page?.url ?? null,
    pageTitle: record.page?.title ?? null,
    context: record.context ? JSON.stringify(record.context) : null,
    openedAt: record.openedAt,
    resolvedAt: record.resolvedAt,
    awayNotified: record.awayNotified ? 1 : 0,
  });
  sql.touchConversation.run({ id: record.conversationId, version });
}

function addPageView(sql: Statements, conversationId: string, view: PageView): void {
  const last = sql.lastPageView.get(conversationId);
  const context = view.context ? JSON.stringify(view.context) : null;
  if (last && last.url === view.url && last.title === view.title && last.context === context) return;
  sql.insertPageView.run({ conversationId, url: view.url, title: view.title, context, at: view.at });
  sql.trimPageViews.run({ conversationId, keep: limits.supportPagesKept });
}

function logActivity(sql: Statements, conversationId: string, activity: SupportActivity): void {
  sql.insertActivity.run({
    conversationId,
    kind: activity.kind,
    by: activity.by,
    agentId: activity.agentId,
    at: activity.at,
  });
}

function toVisitor(row: VisitorRow): VisitorRecord {
  return { id: row.id, number: row.number, secretHash: row.secret_hash, claimedBy: row.claimed_by };
}
