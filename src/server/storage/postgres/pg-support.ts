/**
 * Support on PostgreSQL. Each function runs inside the transaction its caller opened
 * (PostgresStorage), or reads as one statement. A change to a case locks the
 * conversation's and the case's rows first, so that processes assigning or resolving the
 * same case at once take turns.
 */
import { randomBytes } from 'node:crypto';
import type { Message, PageView, SupportActivity, User } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import { CommandError } from '../../errors.js';
import { shownUserColumns, toUser, type ShownUserRow } from '../rows.js';
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
import {
  caseQuery,
  parseContext,
  toActivity,
  toCaseRecord,
  type ActivityRow,
  type CaseRow,
  type PageViewRow,
  type VisitorRow,
} from '../support-rows.js';
import { assignmentApplies, withDetails, withStatus } from '../support-decisions.js';
import { upsertUser } from '../accounts/postgres.js';
import type { PgTransaction, Queryable } from './pg-database.js';
import {
  addPageView,
  countMembers,
  joinSilently,
  logActivity,
  recordEvent,
  requireCase,
  saveCase,
} from './pg-support-writes.js';

const activityKept = 100;

export async function grantAgentRole(tx: PgTransaction, userIds: readonly string[], now: number): Promise<void> {
  await tx.run(
    `INSERT INTO support_agents (user_id, granted_at) SELECT id, $2 FROM unnest($1::text[]) AS agent (id)
     ON CONFLICT DO NOTHING`,
    [userIds, now],
  );
}

export async function isAgent(db: Queryable, userId: string): Promise<boolean> {
  return (await db.row('SELECT 1 FROM support_agents WHERE user_id = $1', [userId])) !== undefined;
}

export async function listAgentIds(db: Queryable): Promise<string[]> {
  return (await db.rows<{ user_id: string }>('SELECT user_id FROM support_agents ORDER BY user_id')).map(
    (row) => row.user_id,
  );
}

export async function revokeAgentRole(
  tx: PgTransaction,
  userId: string,
  now: number,
): Promise<{ left: string[]; unassigned: string[] }> {
  if ((await tx.run('DELETE FROM support_agents WHERE user_id = $1', [userId])) === 0) {
    return { left: [], unassigned: [] };
  }
  const waiting = (
    await tx.rows<{ conversation_id: string }>(
      `SELECT conversation_id FROM support_cases WHERE assignee_id = $1 AND status = 'open'
       ORDER BY conversation_id`,
      [userId],
    )
  ).map((row) => row.conversation_id);
  for (const conversationId of waiting) {
    const record = await requireCase(tx, conversationId);
    await saveCase(tx, { ...record, assigneeId: null, awayNotified: false });
    await logActivity(tx, conversationId, { kind: 'assigned', by: null, agentId: null, at: now });
  }
  const left = (
    await tx.rows<{ conversation_id: string }>(
      `UPDATE conversation_members m SET state = 'removed',
         left_seq = (SELECT c.last_seq FROM conversations c WHERE c.id = m.conversation_id)
       WHERE m.user_id = $1 AND m.state = 'active'
         AND m.conversation_id IN (SELECT conversation_id FROM support_cases WHERE customer_id <> $1)
       RETURNING m.conversation_id`,
      [userId],
    )
  ).map((row) => row.conversation_id);
  for (const conversationId of left) {
    tx.touchMember(conversationId, userId);
    await countMembers(tx, conversationId);
  }
  return { left, unassigned: waiting };
}

export async function joinOpenCases(tx: PgTransaction, agentId: string, now: number): Promise<string[]> {
  if (!(await isAgent(tx, agentId))) return [];
  const missing = (
    await tx.rows<{ conversation_id: string }>(
      `SELECT s.conversation_id FROM support_cases s
       WHERE s.status = 'open' AND s.customer_id <> $1 AND NOT EXISTS (
         SELECT 1 FROM conversation_members m
         WHERE m.conversation_id = s.conversation_id AND m.user_id = $1 AND m.state = 'active')
       ORDER BY s.conversation_id`,
      [agentId],
    )
  ).map((row) => row.conversation_id);
  for (const conversationId of missing) {
    await joinSilently(tx, conversationId, agentId, now);
    await countMembers(tx, conversationId);
  }
  return missing;
}

const visitorSecretKey = 'visitor_token_secret';

/** Processes starting at once agree: the first stored secret wins, all read it back. */
export async function visitorTokenSecret(db: Queryable): Promise<Uint8Array> {
  await db.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    visitorSecretKey,
    randomBytes(32).toString('base64url'),
  ]);
  const row = await db.row<{ value: string }>('SELECT value FROM meta WHERE key = $1', [visitorSecretKey]);
  return Buffer.from(row!.value, 'base64url');
}

export async function createVisitor(
  tx: PgTransaction,
  input: { id: string; secretHash: string; now: number },
): Promise<VisitorRecord> {
  const { number } = (await tx.row<{ number: number }>(
    `UPDATE meta SET value = (value::integer + 1)::text WHERE key = 'visitor_number'
     RETURNING value::integer AS number`,
  ))!;
  await upsertUser(tx, { id: input.id, name: `Visitor #${number}`, avatar: null }, input.now);
  await tx.run(
    `INSERT INTO support_visitors (id, number, secret_hash, created_at) VALUES ($1, $2, $3, $4)`,
    [input.id, number, input.secretHash, input.now],
  );
  return { id: input.id, number, secretHash: input.secretHash, claimedBy: null };
}

export async function getVisitor(db: Queryable, id: string): Promise<VisitorRecord | null> {
  const row = await db.row<VisitorRow>(
    'SELECT id, number, secret_hash, claimed_by FROM support_visitors WHERE id = $1',
    [id],
  );
  return row ? { id: row.id, number: row.number, secretHash: row.secret_hash, claimedBy: row.claimed_by } : null;
}

export async function claimedVisitorIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db.rows<{ id: string }>(
    'SELECT id FROM support_visitors WHERE claimed_by = $1 ORDER BY claimed_at, id',
    [userId],
  );
  return rows.map((row) => row.id);
}

export async function ensureSupportConversation(
  tx: PgTransaction,
  input: CreateSupportConversationInput,
): Promise<{ record: SupportCaseRecord; created: boolean }> {
  // One customer's first cases are made one at a time, whichever process they reach.
  await tx.run('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [input.customerId]);
  const existing = await latestCaseOf(tx, input.customerId);
  if (existing) return { record: existing, created: false };
  if (await isAgent(tx, input.customerId)) {
    throw new CommandError('forbidden', 'agents answer support conversations; they do not open them');
  }
  if (!(await tx.row('SELECT 1 FROM users WHERE id = $1', [input.customerId]))) {
    throw new CommandError('not_found', 'no such customer');
  }
  const { id, now } = input;
  await tx.run(
    `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, name)
     VALUES ($1, 'support', $2, $3, 0, $3, $4)`,
    [id, input.customerId, now, input.name],
  );
  tx.touchConversation(id);
  await tx.run(
    `INSERT INTO support_cases
       (conversation_id, customer_id, status, email, page_url, page_title, context, opened_at)
     VALUES ($1, $2, 'open', $3, $4, $5, $6, $7)`,
    [
      id,
      input.customerId,
      input.email,
      input.page?.url ?? null,
      input.page?.title ?? null,
      input.context ? JSON.stringify(input.context) : null,
      now,
    ],
  );
  await tx.run(`INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)`, [
    id,
    input.customerId,
    now,
  ]);
  const agents = await tx.rows<{ user_id: string }>(
    `SELECT a.user_id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id`,
  );
  for (const { user_id } of agents) await joinSilently(tx, id, user_id, now);
  await countMembers(tx, id);
  if (input.page) await addPageView(tx, id, { ...input.page, context: input.context, at: now });
  return { record: await requireCase(tx, id), created: true };
}

export async function latestCaseOf(db: Queryable, customerId: string): Promise<SupportCaseRecord | null> {
  const row = await db.row<CaseRow>(
    `${caseQuery} WHERE s.customer_id = $1 ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`,
    [customerId],
  );
  return row ? toCaseRecord(row) : null;
}

export async function getCase(db: Queryable, conversationId: string): Promise<SupportCaseRecord | null> {
  const row = await db.row<CaseRow>(`${caseQuery} WHERE s.conversation_id = $1`, [conversationId]);
  return row ? toCaseRecord(row) : null;
}

export async function updateCaseDetails(
  tx: PgTransaction,
  conversationId: string,
  details: CaseDetails,
  now: number,
): Promise<SupportChange> {
  const record = await requireCase(tx, conversationId);
  const { next, changed } = withDetails(record, details);
  if (details.page) await addPageView(tx, conversationId, { ...details.page, context: next.context, at: now });
  if (changed) await saveCase(tx, next);
  return { case: changed ? await requireCase(tx, conversationId) : record, events: [], changed };
}

export async function assignCase(
  tx: PgTransaction,
  input: AssignCaseInput,
): Promise<SupportChange> {
  const record = await requireCase(tx, input.conversationId);
  if (!assignmentApplies(record, input.agentId, input.onlyIfUnassigned)) return { case: record, events: [], changed: false };
  if (!(await isAgent(tx, input.agentId))) throw new CommandError('not_found', 'no such agent');
  const membership = await tx.row<{ state: string }>(
    'SELECT state FROM conversation_members WHERE conversation_id = $1 AND user_id = $2',
    [input.conversationId, input.agentId],
  );
  if (membership?.state !== 'active') throw new CommandError('not_found', 'no such agent in this case');
  const agent = (await tx.row<ShownUserRow>(`SELECT ${shownUserColumns} FROM users WHERE id = $1`, [input.agentId]))!;
  const event = await recordEvent(tx, input.conversationId, input.agentId, input.now, {
    kind: 'support.agent-joined',
    agent: toUser(agent),
  });
  await saveCase(tx, { ...record, assigneeId: input.agentId, awayNotified: false });
  await tx.run('UPDATE support_agents SET last_assigned_at = $1 WHERE user_id = $2', [input.now, input.agentId]);
  await logActivity(tx, input.conversationId, { kind: 'assigned', by: input.by, agentId: input.agentId, at: input.now });
  return { case: await requireCase(tx, input.conversationId), events: [event], changed: true };
}

export async function setCaseStatus(
  tx: PgTransaction,
  input: CaseStatusInput,
): Promise<SupportChange> {
  const record = await requireCase(tx, input.conversationId);
  const change = withStatus(record, input);
  if (!change) return { case: record, events: [], changed: false };
  await saveCase(tx, change.next);
  await logActivity(tx, input.conversationId, change.activity);
  return { case: await requireCase(tx, input.conversationId), events: [], changed: true };
}

export async function recordAway(
  tx: PgTransaction,
  input: AwayInput,
): Promise<SupportChange> {
  const record = await requireCase(tx, input.conversationId);
  if (record.awayNotified) return { case: record, events: [], changed: false };
  const event = await recordEvent(tx, input.conversationId, record.customerId, input.now, {
    kind: 'support.away',
    nextOpenAt: input.nextOpenAt,
    message: input.message,
  });
  await saveCase(tx, { ...record, awayNotified: true });
  return { case: await requireCase(tx, input.conversationId), events: [event], changed: true };
}

export async function openCaseCounts(db: Queryable): Promise<Map<string, number>> {
  const rows = await db.rows<{ assignee_id: string; open: number }>(
    `SELECT assignee_id, count(*) AS open FROM support_cases
     WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`,
  );
  return new Map(rows.map((row) => [row.assignee_id, row.open]));
}

export async function lastAssignedAt(db: Queryable, agentIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.rows<{ user_id: string; last_assigned_at: number }>(
    'SELECT user_id, last_assigned_at FROM support_agents WHERE user_id = ANY($1::text[])',
    [agentIds],
  );
  return new Map(rows.map((row) => [row.user_id, row.last_assigned_at]));
}

/** In one statement, so pages and activity agree. */
export async function caseDetails(
  db: Queryable,
  conversationId: string,
): Promise<{ pages: PageView[]; activity: SupportActivity[] }> {
  const row = (await db.row<{ pages: PageViewRow[]; activity: ActivityRow[] }>(
    `SELECT
       coalesce((SELECT json_agg(p ORDER BY p.id DESC) FROM (SELECT id, url, title, context, at
         FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) p), '[]') AS pages,
       coalesce((SELECT json_agg(a ORDER BY a.id DESC) FROM (SELECT id, kind, by_id, agent_id, at
         FROM support_activity WHERE conversation_id = $1 ORDER BY id DESC LIMIT $3) a), '[]') AS activity`,
    [conversationId, limits.supportPagesKept, activityKept],
  ))!;
  return {
    pages: row.pages.map((page) => ({
      url: page.url,
      title: page.title,
      context: parseContext(page.context),
      at: page.at,
    })),
    activity: row.activity.map(toActivity),
  };
}

export async function claimVisitor(
  tx: PgTransaction,
  input: { visitorId: string; user: User; now: number },
): Promise<ClaimResult> {
  const visitor = await tx.row<VisitorRow>(
    'SELECT id, number, secret_hash, claimed_by FROM support_visitors WHERE id = $1 FOR UPDATE',
    [input.visitorId],
  );
  if (!visitor) throw new CommandError('not_found', 'no such visitor');
  if (visitor.claimed_by === input.user.id) return { conversationIds: [], events: [] };
  if (visitor.claimed_by !== null) throw new CommandError('not_found', 'no such visitor');
  if (await isAgent(tx, input.user.id)) {
    throw new CommandError('forbidden', 'agents cannot take over a visitor’s conversations');
  }
  const visitorUser = (await tx.row<{ name: string }>('SELECT name FROM users WHERE id = $1', [input.visitorId]))!;
  const conversationIds = (
    await tx.rows<{ conversation_id: string }>(
      'SELECT conversation_id FROM support_cases WHERE customer_id = $1 ORDER BY conversation_id',
      [input.visitorId],
    )
  ).map((row) => row.conversation_id);
  const events: Message[] = [];
  for (const conversationId of conversationIds) {
    const record = await requireCase(tx, conversationId);
    const { read_seq: visitorRead } = (await tx.row<{ read_seq: number }>(
      'SELECT read_seq FROM conversation_members WHERE conversation_id = $1 AND user_id = $2',
      [conversationId, input.visitorId],
    ))!;
    const event = await recordEvent(tx, conversationId, input.user.id, input.now, {
      kind: 'support.identified',
      visitorId: input.visitorId,
      visitorName: visitorUser.name,
    });
    await joinSilently(tx, conversationId, input.user.id, input.now);
    // What the visitor had not read yet (an agent's answer) stays unread.
    await tx.run(
      `UPDATE conversation_members SET read_seq = $3, delivered_seq = greatest(delivered_seq, $3),
         marked_unread = 0
       WHERE conversation_id = $1 AND user_id = $2`,
      [conversationId, input.user.id, visitorRead],
    );
    await tx.run(
      `UPDATE conversation_members SET state = 'left', left_seq = $3
       WHERE conversation_id = $1 AND user_id = $2`,
      [conversationId, input.visitorId, event.seq],
    );
    tx.touchMember(conversationId, input.visitorId);
    await saveCase(tx, { ...record, customerId: input.user.id });
    await countMembers(tx, conversationId);
    events.push(event);
  }
  await tx.run('UPDATE support_visitors SET claimed_by = $2, claimed_at = $3 WHERE id = $1', [
    input.visitorId,
    input.user.id,
    input.now,
  ]);
  return { conversationIds, events };
}
