/**
 * What each change of a support case does, decided once for both storages: opening a
 * case, the customer's page and details, assigning, resolving and reopening, telling the
 * customer nobody is there. Pure: a backend loads the snapshot, applies the writes in
 * that transaction, and takes seqs for the recorded events as it applies them.
 *
 * A support conversation has the customer and every agent (who exists as a user) as
 * active members: agents read and answer every case of the team. Agents join silently
 * (no timeline event); what the customer sees of the team is the `support.agent-joined`
 * event of whoever answers. Status, assignment and the customer's page are the case's,
 * outside the timeline; saving the case lists the conversation in agents' next sync.
 */
import type {
  Message,
  PageInfo,
  PageView,
  Prechat,
  PrechatField,
  SupportActivity,
  SupportCase,
  SupportContext,
  SystemEvent,
  User,
} from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import { allow, refuse, type Decision } from '../decision.js';
import { CommandError } from '../errors.js';

export interface SupportCaseRecord extends SupportCase {
  conversationId: string;
  assigneeId: string | null;
  /** A `support.away` event was recorded since the case was last assigned or reopened. */
  awayNotified: boolean;
}

/** What a case change did. */
export interface CaseChange {
  case: SupportCaseRecord;
  /** Whether anything changed at all. */
  changed: boolean;
}

export interface SupportChange extends CaseChange {
  /** Timeline events recorded (`support.agent-joined`, `support.away`), in seq order. */
  events: Message[];
}

/** One write of a support change; backends apply each with one statement (and its upkeep). */
export type SupportWrite =
  | { kind: 'createConversation'; conversationId: string; customerId: string; name: string; at: number }
  /** Inserts or updates the case; the conversation shows in members' next sync. */
  | { kind: 'saveCase'; record: SupportCaseRecord }
  /** Joins (or rejoins) without a timeline event; what a returning member read stays. */
  | { kind: 'joinSilently'; conversationId: string; userId: string; at: number }
  /** Ends a membership at the conversation's newest event. */
  | { kind: 'leave'; conversationId: string; userId: string; state: 'left' | 'removed' }
  | { kind: 'countMembers'; conversationId: string }
  | { kind: 'setReadSeq'; conversationId: string; userId: string; readSeq: number }
  /** A system event with the conversation's next seq. */
  | { kind: 'recordEvent'; conversationId: string; senderId: string; event: SystemEvent; at: number }
  /** A page view, keeping the newest `keep` of the case. */
  | { kind: 'addPageView'; conversationId: string; view: PageView; keep: number }
  | { kind: 'logActivity'; conversationId: string; activity: SupportActivity }
  | { kind: 'touchAssigned'; agentId: string; at: number }
  | { kind: 'revokeAgent'; userId: string }
  | { kind: 'claimVisitor'; visitorId: string; userId: string; at: number };

export interface OpenCaseSnapshot {
  /** The customer's most recently active case. */
  existing: SupportCaseRecord | null;
  customer: { exists: boolean; isAgent: boolean; visitorNumber: number | null };
  /** Agents who exist as users; those who do not yet join when they first connect. */
  agentIds: readonly string[];
}

export interface OpenCase {
  conversationId: string;
  customerId: string;
  /** The team's name, stored as the conversation's name. */
  name: string;
  page: PageInfo | null;
  context: SupportContext | null;
  email: string | null;
}

/** The customer's case: the one they have, or a new open, unassigned one with the team in it. */
export function decideOpenCase(
  { existing, customer, agentIds }: OpenCaseSnapshot,
  command: OpenCase,
  now: number,
): Decision<SupportWrite, { record: SupportCaseRecord; created: boolean }> {
  if (existing) return allow([], { record: existing, created: false });
  if (customer.isAgent) return refuse('forbidden', 'agents answer support conversations; they do not open them');
  if (!customer.exists) return refuse('not_found', 'no such customer');
  const { conversationId, customerId, page, context, email } = command;
  const record: SupportCaseRecord = {
    conversationId,
    customerId,
    visitorNumber: customer.visitorNumber,
    status: 'open',
    email,
    page,
    context,
    openedAt: now,
    resolvedAt: null,
    assigneeId: null,
    awayNotified: false,
  };
  const writes: SupportWrite[] = [
    { kind: 'createConversation', conversationId, customerId, name: command.name, at: now },
    { kind: 'saveCase', record },
    ...[customerId, ...agentIds].map((userId): SupportWrite => ({ kind: 'joinSilently', conversationId, userId, at: now })),
    { kind: 'countMembers', conversationId },
    ...pageViewWrites(conversationId, null, page && { ...page, context, at: now }),
  ];
  return allow(writes, { record, created: true });
}

/** A new conversation needs the fields the team requires; `invalid_payload` names the missing ones. */
export function prechatRefusal(
  fields: { name: PrechatField; email: PrechatField },
  given: Prechat | undefined,
): CommandError | null {
  const missing = (['name', 'email'] as const).filter((field) => fields[field] === 'required' && !given?.[field]);
  if (missing.length === 0) return null;
  return new CommandError('invalid_payload', `the support team asks for ${missing.join(' and ')} first`, {
    issues: missing.map((field) => ({ path: `prechat.${field}`, message: 'is required' })),
  });
}

export interface CaseDetails {
  page?: PageInfo;
  /** null clears it; undefined keeps it. */
  context?: SupportContext | null;
  email?: string;
}

/**
 * The customer's page (a page view, kept only when it differs from the last one), context
 * or e-mail.
 */
export function decideCaseDetails(
  snapshot: { case: SupportCaseRecord | null; lastPage: PageView | null },
  details: CaseDetails,
  now: number,
): Decision<SupportWrite, CaseChange> {
  const record = snapshot.case;
  if (!record) return noSuchCase();
  const next = {
    ...record,
    page: details.page ?? record.page,
    context: details.context === undefined ? record.context : details.context,
    email: details.email ?? record.email,
  };
  const changed =
    JSON.stringify([next.page, next.context, next.email]) !== JSON.stringify([record.page, record.context, record.email]);
  const view = details.page && { ...details.page, context: next.context, at: now };
  const writes = pageViewWrites(record.conversationId, snapshot.lastPage, view);
  if (changed) writes.push({ kind: 'saveCase', record: next });
  return allow(writes, { case: changed ? next : record, changed });
}

function pageViewWrites(conversationId: string, last: PageView | null, view: PageView | null | undefined): SupportWrite[] {
  if (!view) return [];
  const same = last && last.url === view.url && last.title === view.title && sameJson(last.context, view.context);
  return same ? [] : [{ kind: 'addPageView', conversationId, view, keep: limits.supportPagesKept }];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export interface AssignCase {
  conversationId: string;
  agentId: string;
  /** Who assigned: an agent, or null for routing. */
  by: string | null;
  /** Routing racing an agent who takes the case: leave it to whoever answers already. */
  onlyIfUnassigned: boolean;
}

export interface AssignSnapshot {
  case: SupportCaseRecord | null;
  /** The agent to assign: whether they have the role, their membership of the case, their profile. */
  agent: { isAgent: boolean; memberState: string | null; user: User | null };
}

/**
 * Makes the agent answer the case, recording `support.agent-joined` (sender: the agent)
 * and the activity. Assigning whoever answers already changes nothing.
 */
export function decideAssign(
  { case: record, agent }: AssignSnapshot,
  command: AssignCase,
  now: number,
): Decision<SupportWrite, CaseChange> {
  const { conversationId, agentId } = command;
  if (!record) return noSuchCase();
  if (record.assigneeId === agentId || (command.onlyIfUnassigned && record.assigneeId !== null)) {
    return allow([], { case: record, changed: false });
  }
  if (!agent.isAgent) return refuse('not_found', 'no such agent');
  if (agent.memberState !== 'active' || !agent.user) return refuse('not_found', 'no such agent in this case');
  const next = { ...record, assigneeId: agentId, awayNotified: false };
  return allow(
    [
      { kind: 'recordEvent', conversationId, senderId: agentId, event: { kind: 'support.agent-joined', agent: agent.user }, at: now },
      { kind: 'saveCase', record: next },
      { kind: 'touchAssigned', agentId, at: now },
      { kind: 'logActivity', conversationId, activity: { kind: 'assigned', by: command.by, agentId, at: now } },
    ],
    { case: next, changed: true },
  );
}

export interface SetCaseStatus {
  conversationId: string;
  status: 'open' | 'resolved';
  by: string | null;
}

/** Resolves or reopens (the assignee stays), with the activity; a case in that status already stays as it is. */
export function decideStatus(
  { case: record }: { case: SupportCaseRecord | null },
  command: SetCaseStatus,
  now: number,
): Decision<SupportWrite, CaseChange> {
  if (!record) return noSuchCase();
  if (record.status === command.status) return allow([], { case: record, changed: false });
  const reopening = command.status === 'open';
  const next: SupportCaseRecord = {
    ...record,
    status: command.status,
    openedAt: reopening ? now : record.openedAt,
    resolvedAt: reopening ? null : now,
    awayNotified: reopening ? false : record.awayNotified,
  };
  const activity: SupportActivity = { kind: reopening ? 'reopened' : 'resolved', by: command.by, agentId: null, at: now };
  return allow(
    [
      { kind: 'saveCase', record: next },
      { kind: 'logActivity', conversationId: record.conversationId, activity },
    ],
    { case: next, changed: true },
  );
}

export interface RecordAway {
  conversationId: string;
  nextOpenAt: number | null;
  /** The team's away message; empty for the client's own words. */
  message: string;
}

/** Records `support.away` (sender: the customer) once per wait: until the case is assigned or reopened. */
export function decideAway(
  { case: record }: { case: SupportCaseRecord | null },
  command: RecordAway,
  now: number,
): Decision<SupportWrite, CaseChange> {
  if (!record) return noSuchCase();
  if (record.awayNotified) return allow([], { case: record, changed: false });
  const next = { ...record, awayNotified: true };
  const event: SystemEvent = { kind: 'support.away', nextOpenAt: command.nextOpenAt, message: command.message };
  return allow(
    [
      { kind: 'recordEvent', conversationId: record.conversationId, senderId: record.customerId, event, at: now },
      { kind: 'saveCase', record: next },
    ],
    { case: next, changed: true },
  );
}

function noSuchCase(): Decision<never, never> {
  return refuse('not_found', 'no such support conversation');
}
