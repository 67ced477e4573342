/**
 * The support area on either backend. A change loads what its decision looks at with the
 * row locks it needs on PostgreSQL (the case's conversation and case rows, the customer's
 * or the visitor's row), so that processes changing the same case or customer at once
 * take turns (a SQLite write transaction holds the whole database), then applies the
 * writes in that transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Message } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import { settle, type Decision } from '../../decision.js';
import { decideAssign, decideAway, decideCaseDetails, decideOpenCase, decideStatus, type SupportWrite } from '../../support/case-decisions.js';
import { decideJoinOpenCases, decideRevokeAgent } from '../../support/team-decisions.js';
import { decideClaim, visitorName } from '../../support/visitor-decisions.js';
import { fold } from '../postgres/fold.js';
import { shownUserColumns, toUser, type ShownUserRow } from '../rows.js';
import { greatest, inList, listRows, lock, sql, type Sql, type SqlDatabase, type SqlQueryable, type SqlTransaction } from '../sql/sql.js';
import { recordSystemEvent } from '../timeline.js';
import {
  activityKept,
  caseQuery,
  jsonOrNull,
  savedCaseColumns,
  toActivity,
  toCaseRecord,
  toPageView,
  toSavedCaseRow,
  toVisitor,
  visitorColumns,
  type ActivityRow,
  type CaseRow,
  type PageViewRow,
  type VisitorRow,
} from './case-row.js';
import type { SupportStorage } from './contract.js';

const visitorSecretKey = 'visitor_token_secret';
const lockCases = lock('FOR UPDATE OF c, s');

const agentIds = 'SELECT user_id AS id FROM support_agents ORDER BY user_id';
const existingAgentIds = 'SELECT a.user_id AS id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id';
const isAgent = 'SELECT 1 AS agent FROM support_agents WHERE user_id = $1';
const lockedRole = sql`${isAgent} ${lock()}`;
const visitor = `SELECT ${visitorColumns} FROM support_visitors WHERE id = $1`;
const lockedVisitor = sql`${visitor} ${lock()}`;
const claimedVisitorIds = 'SELECT id FROM support_visitors WHERE claimed_by = $1 ORDER BY claimed_at, id';
const caseById = `${caseQuery} WHERE s.conversation_id = $1`;
const lockedCaseById = sql`${caseById} ${lockCases}`;
const latestCaseOf = `${caseQuery} WHERE s.customer_id = $1 ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`;
const casesOfCustomer = sql`${caseQuery} WHERE s.customer_id = $1 ORDER BY s.conversation_id ${lockCases}`;
const openCasesOf = sql`${caseQuery} WHERE s.assignee_id = $1 AND s.status = 'open' ORDER BY s.conversation_id ${lockCases}`;
const openCaseCounts = `
  SELECT assignee_id, count(*) AS open FROM support_cases
  WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`;
const lastAssignedAt = sql`SELECT user_id, last_assigned_at FROM support_agents WHERE user_id ${inList(1)}`;
const lastPageView = `
  SELECT url, title, context, at FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1`;
// In one statement, so pages and activity agree.
const caseDetails = `
  SELECT * FROM (SELECT 'page' AS part, id, url, title, context, NULL AS kind, NULL AS by_id, NULL AS agent_id, at
    FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) pages
  UNION ALL
  SELECT * FROM (SELECT 'activity' AS part, id, NULL, NULL, NULL, kind, by_id, agent_id, at
    FROM support_activity WHERE conversation_id = $1 ORDER BY id DESC LIMIT $3) activity
  ORDER BY id DESC`;
const customer = sql`
  SELECT v.number FROM users u
  LEFT JOIN support_visitors v ON v.id = u.id AND v.claimed_by IS NULL WHERE u.id = $1 ${lock('FOR UPDATE OF u')}`;
const user = `SELECT ${shownUserColumns} FROM users WHERE id = $1`;
const memberState = 'SELECT state FROM conversation_members WHERE conversation_id = $1 AND user_id = $2';
const readSeqsOf = 'SELECT conversation_id, read_seq FROM conversation_members WHERE user_id = $1';
const openCasesWithout = `
  SELECT s.conversation_id AS id FROM support_cases s
  WHERE s.status = 'open' AND s.customer_id <> $1 AND NOT EXISTS (
    SELECT 1 FROM conversation_members m
    WHERE m.conversation_id = s.conversation_id AND m.user_id = $1 AND m.state = 'active')
  ORDER BY s.conversation_id`;
const answering = `
  SELECT m.conversation_id AS id FROM conversation_members m
  JOIN support_cases s ON s.conversation_id = m.conversation_id
  WHERE m.user_id = $1 AND m.state = 'active' AND s.customer_id <> $1
  ORDER BY m.conversation_id`;

const grantAgents = sql`
  INSERT INTO support_agents (user_id, granted_at) SELECT id, $2 FROM ${listRows(1, 'agent', 'id')}
  WHERE true ON CONFLICT DO NOTHING`;
const revokeAgent = 'DELETE FROM support_agents WHERE user_id = $1';
const touchAssigned = 'UPDATE support_agents SET last_assigned_at = $2 WHERE user_id = $1';
const offerMeta = 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING';
const readMeta = 'SELECT value FROM meta WHERE key = $1';
// PostgreSQL keeps meta values as text.
const nextVisitorNumber: Sql = {
  sqlite: `UPDATE meta SET value = value + 1 WHERE key = 'visitor_number' RETURNING value AS number`,
  postgres: `UPDATE meta SET value = (value::integer + 1)::text WHERE key = 'visitor_number' RETURNING value::integer AS number`,
};
// PostgreSQL keeps the folded name and id that its searches and sorts read.
const insertVisitorUser: Sql = {
  sqlite: 'INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES ($1, $2, NULL, $5, $5)',
  postgres: `INSERT INTO users (id, name, avatar, name_folded, id_folded, created_at, updated_at)
    VALUES ($1, $2, NULL, $3, $4, $5, $5)`,
};
const insertVisitor = 'INSERT INTO support_visitors (id, number, secret_hash, created_at) VALUES ($1, $2, $3, $4)';
const claimVisitor = 'UPDATE support_visitors SET claimed_by = $2, claimed_at = $3 WHERE id = $1';
// The change version is stamped when the transaction commits.
const createConversation = `
  INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, name)
  VALUES ($1, 'support', $2, $3, 0, $3, 0, $4)`;
// Inserts the case or updates every saved column.
const saveCase = `
  INSERT INTO support_cases (${savedCaseColumns.join(', ')})
  VALUES (${savedCaseColumns.map((_, index) => `$${index + 1}`).join(', ')})
  ON CONFLICT (conversation_id) DO UPDATE
    SET ${savedCaseColumns.slice(1).map((column) => `${column} = excluded.${column}`).join(', ')}`;
// An agent who lost the role and got it back is active again; what they read stays.
const joinSilently = `
  INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)
  ON CONFLICT (conversation_id, user_id) DO UPDATE SET state = 'active', left_seq = NULL`;
const leave = `
  UPDATE conversation_members SET state = $3,
    left_seq = (SELECT c.last_seq FROM conversations c WHERE c.id = conversation_members.conversation_id)
  WHERE conversation_id = $1 AND user_id = $2`;
const countMembers = `
  UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
    WHERE m.conversation_id = conversations.id AND m.state = 'active')
  WHERE id = $1`;
const setReadSeq = sql`
  UPDATE conversation_members SET read_seq = $3, delivered_seq = ${greatest}(delivered_seq, $3), marked_unread = 0
  WHERE conversation_id = $1 AND user_id = $2`;
const insertPageView = `
  INSERT INTO support_page_views (conversation_id, url, title, context, at) VALUES ($1, $2, $3, $4, $5)`;
const trimPageViews = `
  DELETE FROM support_page_views WHERE conversation_id = $1 AND id NOT IN (
    SELECT id FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)`;
const insertActivity = `
  INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at) VALUES ($1, $2, $3, $4, $5)`;

interface Decided<Result> {
  result: Result;
  events: Message[];
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

export function sqlSupport(db: SqlDatabase): SupportStorage {
  /** Loads (with its row locks), decides and applies the writes in order, in one transaction. */
  const change = <Snapshot, Result>(
    load: (tx: SqlTransaction) => Promise<Snapshot>,
    decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  ): Promise<Decided<Result>> =>
    db.transaction(async (tx) => {
      const { writes, result } = settle(decide(await load(tx)));
      const events: Message[] = [];
      for (const write of writes) {
        const event = await apply(tx, write);
        if (event) events.push(event);
      }
      return { result, events };
    });

  return {
    read: {
      listAgentIds: async () => ids(await db.rows<{ id: string }>(agentIds)),
      isAgent: (userId) => agent(db, userId),
      async getVisitor(id) {
        const row = await db.row<VisitorRow>(visitor, [id]);
        return row ? toVisitor(row) : null;
      },
      claimedVisitorIds: async (userId) => ids(await db.rows<{ id: string }>(claimedVisitorIds, [userId])),
      latestCaseOf: (customerId) => caseRecord(db, latestCaseOf, customerId),
      getCase: (conversationId) => caseRecord(db, caseById, conversationId),
      async openCaseCounts() {
        const rows = await db.rows<{ assignee_id: string; open: number }>(openCaseCounts);
        return new Map(rows.map((row) => [row.assignee_id, row.open]));
      },
      async lastAssignedAt(agentIds) {
        const rows = await db.rows<{ user_id: string; last_assigned_at: number }>(lastAssignedAt, [agentIds]);
        return new Map(rows.map((row) => [row.user_id, row.last_assigned_at]));
      },
      async caseDetails(conversationId) {
        const rows = await db.rows<(PageViewRow & ActivityRow) & { part: 'page' | 'activity' }>(caseDetails, [
          conversationId,
          limits.supportPagesKept,
          activityKept,
        ]);
        return {
          pages: rows.filter((row) => row.part === 'page').map(toPageView),
          activity: rows.filter((row) => row.part === 'activity').map(toActivity),
        };
      },
    },
    write: {
      async grantAgentRole(userIds, now) {
        await db.run(grantAgents, [userIds, now]);
      },
      async revokeAgentRole(userId, now) {
        // The cases first, then the role: the order in which an assignment takes them.
        const load = async (tx: SqlTransaction) => {
          const assigned = await tx.rows<CaseRow>(openCasesOf, [userId]);
          const role = await tx.row(lockedRole, [userId]);
          const answeringIds = ids(await tx.rows<{ id: string }>(answering, [userId]));
          return { isAgent: role !== undefined, assignedOpen: assigned.map(toCaseRecord), answering: answeringIds };
        };
        return (await change(load, (snapshot) => decideRevokeAgent(snapshot, userId, now))).result;
      },
      async joinOpenCases(agentId, now) {
        const load = async (tx: SqlTransaction) => ({
          isAgent: await agent(tx, agentId),
          missing: ids(await tx.rows<{ id: string }>(openCasesWithout, [agentId])),
        });
        return (await change(load, (snapshot) => decideJoinOpenCases(snapshot, agentId, now))).result;
      },
      // Processes starting at once agree: the first stored secret wins, all read it back.
      async visitorTokenSecret() {
        await db.run(offerMeta, [visitorSecretKey, randomBytes(32).toString('base64url')]);
        const row = await db.row<{ value: string }>(readMeta, [visitorSecretKey]);
        return Buffer.from(row!.value, 'base64url');
      },
      createVisitor: ({ id, secretHash, now }) =>
        db.transaction(async (tx) => {
          const { number } = (await tx.row<{ number: number }>(nextVisitorNumber))!;
          const name = visitorName(number);
          await tx.run(insertVisitorUser, [id, name, fold(name), fold(id), now]);
          await tx.run(insertVisitor, [id, number, secretHash, now]);
          return { id, number, secretHash, claimedBy: null };
        }),
      async ensureSupportConversation({ now, ...command }) {
        const load = async (tx: SqlTransaction) => {
          // One customer's first cases are made one at a time, whichever process they reach.
          const { customerId } = command;
          const found = await tx.row<{ number: number | null }>(customer, [customerId]);
          const existing = await caseRecord(tx, latestCaseOf, customerId);
          const agents = await tx.rows<{ id: string }>(existingAgentIds);
          return {
            existing,
            customer: { exists: found !== undefined, isAgent: await agent(tx, customerId), visitorNumber: found?.number ?? null },
            agentIds: ids(agents),
          };
        };
        return (await change(load, (snapshot) => decideOpenCase(snapshot, command, now))).result;
      },
      async updateCaseDetails(conversationId, details, now) {
        const load = async (tx: SqlTransaction) => {
          const record = await caseRecord(tx, lockedCaseById, conversationId);
          const last = await tx.row<PageViewRow>(lastPageView, [conversationId]);
          return { case: record, lastPage: last ? toPageView(last) : null };
        };
        const { result, events } = await change(load, (snapshot) => decideCaseDetails(snapshot, details, now));
        return { ...result, events };
      },
      async assignCase({ now, ...command }) {
        const { conversationId, agentId } = command;
        const load = async (tx: SqlTransaction) => {
          const record = await caseRecord(tx, lockedCaseById, conversationId);
          const member = await tx.row<{ state: string }>(memberState, [conversationId, agentId]);
          const shown = await tx.row<ShownUserRow>(user, [agentId]);
          return {
            case: record,
            agent: { isAgent: await agent(tx, agentId), memberState: member?.state ?? null, user: shown ? toUser(shown) : null },
          };
        };
        const { result, events } = await change(load, (snapshot) => decideAssign(snapshot, command, now));
        return { ...result, events };
      },
      async setCaseStatus({ now, ...command }) {
        const load = async (tx: SqlTransaction) => ({ case: await caseRecord(tx, lockedCaseById, command.conversationId) });
        const { result, events } = await change(load, (snapshot) => decideStatus(snapshot, command, now));
        return { ...result, events };
      },
      async recordAway({ now, ...command }) {
        const load = async (tx: SqlTransaction) => ({ case: await caseRecord(tx, lockedCaseById, command.conversationId) });
        const { result, events } = await change(load, (snapshot) => decideAway(snapshot, command, now));
        return { ...result, events };
      },
      async claimVisitor({ visitorId, user: claimant, now }) {
        const load = async (tx: SqlTransaction) => {
          const found = await tx.row<VisitorRow>(lockedVisitor, [visitorId]);
          const profile = await tx.row<ShownUserRow>(user, [visitorId]);
          const cases = await tx.rows<CaseRow>(casesOfCustomer, [visitorId]);
          const read = await tx.rows<{ conversation_id: string; read_seq: number }>(readSeqsOf, [visitorId]);
          const readSeqs = new Map(read.map((row) => [row.conversation_id, row.read_seq]));
          return {
            visitor: found ? toVisitor(found) : null,
            visitorName: profile?.name ?? '',
            claimantIsAgent: await agent(tx, claimant.id),
            cases: cases.map((row) => ({ record: toCaseRecord(row), visitorReadSeq: readSeqs.get(row.conversation_id) ?? 0 })),
          };
        };
        const { result, events } = await change(load, (snapshot) => decideClaim(snapshot, { visitorId, user: claimant }, now));
        return { ...result, events };
      },
    },
  };
}

async function agent(db: SqlQueryable, userId: string): Promise<boolean> {
  return (await db.row(isAgent, [userId])) !== undefined;
}

async function caseRecord(db: SqlQueryable, statement: Sql, key: string) {
  const row = await db.row<CaseRow>(statement, [key]);
  return row ? toCaseRecord(row) : null;
}

/** One write, with the change versions it calls for stamped at commit. */
async function apply(tx: SqlTransaction, write: SupportWrite): Promise<Message | void> {
  switch (write.kind) {
    case 'createConversation':
      await tx.run(createConversation, [write.conversationId, write.customerId, write.at, write.name]);
      tx.touchConversation(write.conversationId);
      return;
    case 'saveCase': {
      const row = toSavedCaseRow(write.record);
      await tx.run(saveCase, savedCaseColumns.map((column) => row[column]));
      tx.touchConversation(write.record.conversationId);
      return;
    }
    case 'joinSilently':
      await tx.run(joinSilently, [write.conversationId, write.userId, write.at]);
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'leave':
      await tx.run(leave, [write.conversationId, write.userId, write.state]);
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'countMembers':
      await tx.run(countMembers, [write.conversationId]);
      return;
    case 'setReadSeq':
      await tx.run(setReadSeq, [write.conversationId, write.userId, write.readSeq]);
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'recordEvent':
      return recordSystemEvent(tx, { conversationId: write.conversationId, now: write.at }, write.senderId, write.event);
    case 'addPageView': {
      const { conversationId, view, keep } = write;
      await tx.run(insertPageView, [conversationId, view.url, view.title, jsonOrNull(view.context), view.at]);
      await tx.run(trimPageViews, [conversationId, keep]);
      return;
    }
    case 'logActivity': {
      const { by, agentId, at, kind } = write.activity;
      await tx.run(insertActivity, [write.conversationId, kind, by, agentId, at]);
      return;
    }
    case 'touchAssigned':
      await tx.run(touchAssigned, [write.agentId, write.at]);
      return;
    case 'revokeAgent':
      await tx.run(revokeAgent, [write.userId]);
      return;
    case 'claimVisitor':
      await tx.run(claimVisitor, [write.visitorId, write.userId, write.at]);
      return;
  }
}
