/**
 * The support area on PostgreSQL. A change loads what its decision looks at with the row
 * locks it needs (the case's conversation and case rows, the customer's or the visitor's
 * row), so that processes changing the same case or customer at once take turns, then
 * applies the writes in that transaction.
 */
import { randomBytes } from 'node:crypto';
import type { Message } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import type { Decision } from '../../decision.js';
import { decideAssign, decideAway, decideCaseDetails, decideOpenCase, decideStatus, type SupportWrite } from '../../support/case-decisions.js';
import { decideJoinOpenCases, decideRevokeAgent } from '../../support/team-decisions.js';
import { decideClaim, visitorName } from '../../support/visitor-decisions.js';
import { upsertUser } from '../accounts/sql.js';
import type { PgDatabase, PgTransaction, Queryable } from '../postgres/pg-database.js';
import { systemEventRow, toMessage, toUser, type ShownUserRow } from '../rows.js';
import {
  activityKept,
  jsonOrNull,
  toActivity,
  toCaseRecord,
  toPageView,
  toSavedCaseRow,
  toVisitor,
  type ActivityRow,
  type CaseRow,
  type PageViewRow,
  type VisitorRow,
} from './case-row.js';
import type { SupportStorage } from './contract.js';
import { decideThen, type Decided } from './decided.js';
import { supportSql as sql } from './statements.js';

const visitorSecretKey = 'visitor_token_secret';
const lockCases = 'FOR UPDATE OF c, s';
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

export function postgresSupport(db: PgDatabase): SupportStorage {
  const change = <Snapshot, Result>(
    load: (tx: PgTransaction) => Promise<Snapshot>,
    decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  ): Promise<Decided<Result>> => db.transaction((tx) => decideThen(load(tx), decide, (write) => apply(tx, write)));

  return {
    read: {
      listAgentIds: async () => ids(await db.rows<{ id: string }>(sql.agentIds.postgres)),
      isAgent: (userId) => isAgent(db, userId),
      async getVisitor(id) {
        const row = await db.row<VisitorRow>(sql.visitor.postgres, sql.visitor.values({ visitorId: id }));
        return row ? toVisitor(row) : null;
      },
      claimedVisitorIds: async (userId) =>
        ids(await db.rows<{ id: string }>(sql.claimedVisitorIds.postgres, sql.claimedVisitorIds.values({ userId }))),
      latestCaseOf: (customerId) => latestCaseOf(db, customerId),
      getCase: (conversationId) => caseOf(db, conversationId, ''),
      async openCaseCounts() {
        const rows = await db.rows<{ assignee_id: string; open: number }>(sql.openCaseCounts.postgres);
        return new Map(rows.map((row) => [row.assignee_id, row.open]));
      },
      async lastAssignedAt(agentIds) {
        const rows = await db.rows<{ user_id: string; last_assigned_at: number }>(
          'SELECT user_id, last_assigned_at FROM support_agents WHERE user_id = ANY($1::text[])',
          [agentIds],
        );
        return new Map(rows.map((row) => [row.user_id, row.last_assigned_at]));
      },
      // In one statement, so pages and activity agree.
      async caseDetails(conversationId) {
        const row = (await db.row<{ pages: PageViewRow[]; activity: ActivityRow[] }>(
          `SELECT
             coalesce((SELECT json_agg(p ORDER BY p.id DESC) FROM (SELECT id, url, title, context, at
               FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) p), '[]') AS pages,
             coalesce((SELECT json_agg(a ORDER BY a.id DESC) FROM (SELECT id, kind, by_id, agent_id, at
               FROM support_activity WHERE conversation_id = $1 ORDER BY id DESC LIMIT $3) a), '[]') AS activity`,
          [conversationId, limits.supportPagesKept, activityKept],
        ))!;
        return { pages: row.pages.map(toPageView), activity: row.activity.map(toActivity) };
      },
    },
    write: {
      async grantAgentRole(userIds, now) {
        await db.run(
          `INSERT INTO support_agents (user_id, granted_at) SELECT id, $2 FROM unnest($1::text[]) AS agent (id)
           ON CONFLICT DO NOTHING`,
          [userIds, now],
        );
      },
      async revokeAgentRole(userId, now) {
        // The cases first, then the role: the order in which an assignment takes them.
        const load = async (tx: PgTransaction) => {
          const assigned = await tx.rows<CaseRow>(
            `${sql.openCasesOf.postgres} ${lockCases}`,
            sql.openCasesOf.values({ agentId: userId }),
          );
          const role = await tx.row(`${sql.isAgent.postgres} FOR UPDATE`, sql.isAgent.values({ userId }));
          const answering = await tx.rows<{ id: string }>(sql.answering.postgres, sql.answering.values({ userId }));
          return { isAgent: role !== undefined, assignedOpen: assigned.map(toCaseRecord), answering: ids(answering) };
        };
        return (await change(load, (snapshot) => decideRevokeAgent(snapshot, userId, now))).result;
      },
      async joinOpenCases(agentId, now) {
        const load = async (tx: PgTransaction) => ({
          isAgent: await isAgent(tx, agentId),
          missing: ids(await tx.rows<{ id: string }>(sql.openCasesWithout.postgres, sql.openCasesWithout.values({ agentId }))),
        });
        return (await change(load, (snapshot) => decideJoinOpenCases(snapshot, agentId, now))).result;
      },
      // Processes starting at once agree: the first stored secret wins, all read it back.
      async visitorTokenSecret() {
        const value = randomBytes(32).toString('base64url');
        await db.run(sql.offerMeta.postgres, sql.offerMeta.values({ key: visitorSecretKey, value }));
        const row = await db.row<{ value: string }>(sql.readMeta.postgres, sql.readMeta.values({ key: visitorSecretKey }));
        return Buffer.from(row!.value, 'base64url');
      },
      createVisitor: ({ id, secretHash, now }) =>
        db.transaction(async (tx) => {
          const { number } = (await tx.row<{ number: number }>(
            `UPDATE meta SET value = (value::integer + 1)::text WHERE key = 'visitor_number'
             RETURNING value::integer AS number`,
          ))!;
          await upsertUser(tx, { id, name: visitorName(number), avatar: null }, now);
          await tx.run(sql.insertVisitor.postgres, sql.insertVisitor.values({ id, number, secretHash, now }));
          return { id, number, secretHash, claimedBy: null };
        }),
      async ensureSupportConversation({ now, ...command }) {
        const load = async (tx: PgTransaction) => {
          // One customer's first cases are made one at a time, whichever process they reach.
          const { customerId } = command;
          const customer = await tx.row<{ number: number | null }>(
            `${sql.customer.postgres} FOR UPDATE OF u`,
            sql.customer.values({ customerId }),
          );
          const existing = await latestCaseOf(tx, customerId);
          const agents = await tx.rows<{ id: string }>(sql.existingAgentIds.postgres);
          return {
            existing,
            customer: {
              exists: customer !== undefined,
              isAgent: await isAgent(tx, command.customerId),
              visitorNumber: customer?.number ?? null,
            },
            agentIds: ids(agents),
          };
        };
        return (await change(load, (snapshot) => decideOpenCase(snapshot, command, now))).result;
      },
      async updateCaseDetails(conversationId, details, now) {
        const load = async (tx: PgTransaction) => {
          const record = await caseOf(tx, conversationId, lockCases);
          const last = await tx.row<PageViewRow>(sql.pageViews.postgres, sql.pageViews.values({ conversationId, limit: 1 }));
          return { case: record, lastPage: last ? toPageView(last) : null };
        };
        const { result, events } = await change(load, (snapshot) => decideCaseDetails(snapshot, details, now));
        return { ...result, events };
      },
      async assignCase({ now, ...command }) {
        const { conversationId, agentId } = command;
        const load = async (tx: PgTransaction) => {
          const record = await caseOf(tx, conversationId, lockCases);
          const member = await tx.row<{ state: string }>(
            sql.member.postgres,
            sql.member.values({ conversationId, userId: agentId }),
          );
          const user = await tx.row<ShownUserRow>(sql.user.postgres, sql.user.values({ userId: agentId }));
          return {
            case: record,
            agent: { isAgent: await isAgent(tx, agentId), memberState: member?.state ?? null, user: user ? toUser(user) : null },
          };
        };
        const { result, events } = await change(load, (snapshot) => decideAssign(snapshot, command, now));
        return { ...result, events };
      },
      async setCaseStatus({ now, ...command }) {
        const load = async (tx: PgTransaction) => ({ case: await caseOf(tx, command.conversationId, lockCases) });
        const { result, events } = await change(load, (snapshot) => decideStatus(snapshot, command, now));
        return { ...result, events };
      },
      async recordAway({ now, ...command }) {
        const load = async (tx: PgTransaction) => ({ case: await caseOf(tx, command.conversationId, lockCases) });
        const { result, events } = await change(load, (snapshot) => decideAway(snapshot, command, now));
        return { ...result, events };
      },
      async claimVisitor({ visitorId, user, now }) {
        const load = async (tx: PgTransaction) => {
          const visitor = await tx.row<VisitorRow>(`${sql.visitor.postgres} FOR UPDATE`, sql.visitor.values({ visitorId }));
          const profile = await tx.row<{ name: string }>('SELECT name FROM users WHERE id = $1', [visitorId]);
          const cases = await tx.rows<CaseRow>(
            `${sql.casesOfCustomer.postgres} ${lockCases}`,
            sql.casesOfCustomer.values({ customerId: visitorId }),
          );
          const read = await tx.rows<{ conversation_id: string; read_seq: number }>(
            'SELECT conversation_id, read_seq FROM conversation_members WHERE user_id = $1',
            [visitorId],
          );
          const readSeqs = new Map(read.map((row) => [row.conversation_id, row.read_seq]));
          return {
            visitor: visitor ? toVisitor(visitor) : null,
            visitorName: profile?.name ?? '',
            claimantIsAgent: await isAgent(tx, user.id),
            cases: cases.map((row) => ({ record: toCaseRecord(row), visitorReadSeq: readSeqs.get(row.conversation_id) ?? 0 })),
          };
        };
        const { result, events } = await change(load, (snapshot) => decideClaim(snapshot, { visitorId, user }, now));
        return { ...result, events };
      },
    },
  };
}

async function isAgent(db: Queryable, userId: string): Promise<boolean> {
  return (await db.row(sql.isAgent.postgres, sql.isAgent.values({ userId }))) !== undefined;
}

async function caseOf(db: Queryable, conversationId: string, lock: '' | typeof lockCases) {
  const row = await db.row<CaseRow>(`${sql.caseById.postgres} ${lock}`, sql.caseById.values({ conversationId }));
  return row ? toCaseRecord(row) : null;
}

async function latestCaseOf(db: Queryable, customerId: string) {
  const row = await db.row<CaseRow>(sql.latestCaseOf.postgres, sql.latestCaseOf.values({ customerId }));
  return row ? toCaseRecord(row) : null;
}

/** One write, with the change versions it calls for stamped at commit (see PgTransaction). */
async function apply(tx: PgTransaction, write: SupportWrite): Promise<Message | void> {
  switch (write.kind) {
    case 'createConversation':
      await tx.run(
        `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, name)
         VALUES ($1, 'support', $2, $3, 0, $3, $4)`,
        [write.conversationId, write.customerId, write.at, write.name],
      );
      tx.touchConversation(write.conversationId);
      return;
    case 'saveCase': {
      const row = toSavedCaseRow(write.record);
      await tx.run(sql.saveCase.postgres, sql.saveCase.values(row));
      tx.touchConversation(write.record.conversationId);
      return;
    }
    case 'joinSilently':
      await tx.run(
        `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)
         ON CONFLICT (conversation_id, user_id) DO UPDATE SET state = 'active', left_seq = NULL`,
        [write.conversationId, write.userId, write.at],
      );
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'leave':
      await tx.run(
        `UPDATE conversation_members m SET state = $3,
           left_seq = (SELECT c.last_seq FROM conversations c WHERE c.id = m.conversation_id)
         WHERE m.conversation_id = $1 AND m.user_id = $2`,
        [write.conversationId, write.userId, write.state],
      );
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'countMembers':
      await tx.run(sql.countMembers.postgres, sql.countMembers.values({ conversationId: write.conversationId }));
      return;
    case 'setReadSeq':
      await tx.run(
        `UPDATE conversation_members SET read_seq = $3, delivered_seq = greatest(delivered_seq, $3), marked_unread = 0
         WHERE conversation_id = $1 AND user_id = $2`,
        [write.conversationId, write.userId, write.readSeq],
      );
      tx.touchMember(write.conversationId, write.userId);
      return;
    case 'recordEvent':
      return recordEvent(tx, write);
    case 'addPageView': {
      const { conversationId, view, keep } = write;
      const pageView = { conversationId, url: view.url, title: view.title, context: jsonOrNull(view.context), at: view.at };
      await tx.run(sql.insertPageView.postgres, sql.insertPageView.values(pageView));
      await tx.run(sql.trimPageViews.postgres, sql.trimPageViews.values({ conversationId, keep }));
      return;
    }
    case 'logActivity':
      await tx.run(
        sql.insertActivity.postgres,
        sql.insertActivity.values({ conversationId: write.conversationId, ...write.activity }),
      );
      return;
    case 'touchAssigned':
      await tx.run(sql.touchAssigned.postgres, sql.touchAssigned.values({ agentId: write.agentId, at: write.at }));
      return;
    case 'revokeAgent':
      await tx.run(sql.revokeAgent.postgres, sql.revokeAgent.values({ userId: write.userId }));
      return;
    case 'claimVisitor':
      await tx.run(
        sql.claimVisitor.postgres,
        sql.claimVisitor.values({ visitorId: write.visitorId, userId: write.userId, at: write.at }),
      );
      return;
  }
}

async function recordEvent(tx: PgTransaction, write: Extract<SupportWrite, { kind: 'recordEvent' }>): Promise<Message> {
  const { last_seq: seq } = (await tx.row<{ last_seq: number }>(
    `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
     WHERE id = $1 RETURNING last_seq`,
    [write.conversationId, write.at],
  ))!;
  const row = systemEventRow({ conversationId: write.conversationId, now: write.at }, seq, write.senderId, write.event);
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
     VALUES ($1, $2, $3, $4, $5, 'system', $6, $7)`,
    [row.id, row.conversation_id, seq, row.sender_id, row.client_id, row.body, row.created_at],
  );
  tx.touchConversation(write.conversationId);
  return toMessage(row);
}
