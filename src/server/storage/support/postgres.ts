/**
 * The support area on PostgreSQL. A change loads what its decision looks at with the row
 * locks it needs (the case's conversation and case rows, the customer's or the visitor's
 * row), so that processes changing the same case or customer at once take turns, then
 * applies the writes in that transaction.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Message } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import type { Decision } from '../../decision.js';
import { systemClientId } from '../../groups/ids.js';
import { decideAssign, decideAway, decideCaseDetails, decideOpenCase, decideStatus, type SupportWrite } from '../../support/case-decisions.js';
import { decideJoinOpenCases, decideRevokeAgent } from '../../support/team-decisions.js';
import { decideClaim, visitorName } from '../../support/visitor-decisions.js';
import { upsertUser } from '../accounts/postgres.js';
import type { PgDatabase, PgTransaction, Queryable } from '../postgres/pg-database.js';
import { shownUserColumns, toMessage, toUser, type ShownUserRow } from '../rows.js';
import {
  activityKept,
  caseQuery,
  jsonOrNull,
  saveCaseStatement,
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
import { decideThen, type Decided } from './decided.js';

const visitorSecretKey = 'visitor_token_secret';
const saveCase = saveCaseStatement((_, index) => `$${index + 1}`);
const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

export function postgresSupport(db: PgDatabase): SupportStorage {
  const change = <Snapshot, Result>(
    load: (tx: PgTransaction) => Promise<Snapshot>,
    decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  ): Promise<Decided<Result>> => db.transaction((tx) => decideThen(load(tx), decide, (write) => apply(tx, write)));

  return {
    read: {
      listAgentIds: async () => ids(await db.rows<{ id: string }>('SELECT user_id AS id FROM support_agents ORDER BY user_id')),
      isAgent: (userId) => isAgent(db, userId),
      async getVisitor(id) {
        const row = await db.row<VisitorRow>(`SELECT ${visitorColumns} FROM support_visitors WHERE id = $1`, [id]);
        return row ? toVisitor(row) : null;
      },
      claimedVisitorIds: async (userId) =>
        ids(await db.rows<{ id: string }>('SELECT id FROM support_visitors WHERE claimed_by = $1 ORDER BY claimed_at, id', [userId])),
      async latestCaseOf(customerId) {
        const row = await db.row<CaseRow>(
          `${caseQuery} WHERE s.customer_id = $1 ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`,
          [customerId],
        );
        return row ? toCaseRecord(row) : null;
      },
      getCase: (conversationId) => caseOf(db, conversationId, ''),
      async openCaseCounts() {
        const rows = await db.rows<{ assignee_id: string; open: number }>(
          `SELECT assignee_id, count(*) AS open FROM support_cases
           WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`,
        );
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
            `${caseQuery} WHERE s.assignee_id = $1 AND s.status = 'open' ORDER BY s.conversation_id FOR UPDATE OF c, s`,
            [userId],
          );
          const role = await tx.row('SELECT 1 FROM support_agents WHERE user_id = $1 FOR UPDATE', [userId]);
          const answering = await tx.rows<{ id: string }>(
            `SELECT m.conversation_id AS id FROM conversation_members m
             JOIN support_cases s ON s.conversation_id = m.conversation_id
             WHERE m.user_id = $1 AND m.state = 'active' AND s.customer_id <> $1 ORDER BY m.conversation_id`,
            [userId],
          );
          return { isAgent: role !== undefined, assignedOpen: assigned.map(toCaseRecord), answering: ids(answering) };
        };
        return (await change(load, (snapshot) => decideRevokeAgent(snapshot, userId, now))).result;
      },
      async joinOpenCases(agentId, now) {
        const load = async (tx: PgTransaction) => ({
          isAgent: await isAgent(tx, agentId),
          missing: ids(
            await tx.rows<{ id: string }>(
              `SELECT s.conversation_id AS id FROM support_cases s
               WHERE s.status = 'open' AND s.customer_id <> $1 AND NOT EXISTS (
                 SELECT 1 FROM conversation_members m
                 WHERE m.conversation_id = s.conversation_id AND m.user_id = $1 AND m.state = 'active')
               ORDER BY s.conversation_id`,
              [agentId],
            ),
          ),
        });
        return (await change(load, (snapshot) => decideJoinOpenCases(snapshot, agentId, now))).result;
      },
      // Processes starting at once agree: the first stored secret wins, all read it back.
      async visitorTokenSecret() {
        await db.run('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
          visitorSecretKey,
          randomBytes(32).toString('base64url'),
        ]);
        const row = await db.row<{ value: string }>('SELECT value FROM meta WHERE key = $1', [visitorSecretKey]);
        return Buffer.from(row!.value, 'base64url');
      },
      createVisitor: ({ id, secretHash, now }) =>
        db.transaction(async (tx) => {
          const { number } = (await tx.row<{ number: number }>(
            `UPDATE meta SET value = (value::integer + 1)::text WHERE key = 'visitor_number'
             RETURNING value::integer AS number`,
          ))!;
          await upsertUser(tx, { id, name: visitorName(number), avatar: null }, now);
          await tx.run('INSERT INTO support_visitors (id, number, secret_hash, created_at) VALUES ($1, $2, $3, $4)', [
            id,
            number,
            secretHash,
            now,
          ]);
          return { id, number, secretHash, claimedBy: null };
        }),
      async ensureSupportConversation({ now, ...command }) {
        const load = async (tx: PgTransaction) => {
          // One customer's first cases are made one at a time, whichever process they reach.
          const customer = await tx.row<{ number: number | null }>(
            `SELECT v.number FROM users u LEFT JOIN support_visitors v ON v.id = u.id AND v.claimed_by IS NULL
             WHERE u.id = $1 FOR UPDATE OF u`,
            [command.customerId],
          );
          const latest = await tx.row<CaseRow>(
            `${caseQuery} WHERE s.customer_id = $1 ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`,
            [command.customerId],
          );
          const agents = await tx.rows<{ id: string }>(
            'SELECT a.user_id AS id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id',
          );
          return {
            existing: latest ? toCaseRecord(latest) : null,
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
          const record = await caseOf(tx, conversationId, 'FOR UPDATE OF c, s');
          const last = await tx.row<PageViewRow>(
            'SELECT url, title, context, at FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1',
            [conversationId],
          );
          return { case: record, lastPage: last ? toPageView(last) : null };
        };
        const { result, events } = await change(load, (snapshot) => decideCaseDetails(snapshot, details, now));
        return { ...result, events };
      },
      async assignCase({ now, ...command }) {
        const { conversationId, agentId } = command;
        const load = async (tx: PgTransaction) => {
          const record = await caseOf(tx, conversationId, 'FOR UPDATE OF c, s');
          const member = await tx.row<{ state: string }>(
            'SELECT state FROM conversation_members WHERE conversation_id = $1 AND user_id = $2',
            [conversationId, agentId],
          );
          const user = await tx.row<ShownUserRow>(`SELECT ${shownUserColumns} FROM users WHERE id = $1`, [agentId]);
          return {
            case: record,
            agent: { isAgent: await isAgent(tx, agentId), memberState: member?.state ?? null, user: user ? toUser(user) : null },
          };
        };
        const { result, events } = await change(load, (snapshot) => decideAssign(snapshot, command, now));
        return { ...result, events };
      },
      async setCaseStatus({ now, ...command }) {
        const load = async (tx: PgTransaction) => ({ case: await caseOf(tx, command.conversationId, 'FOR UPDATE OF c, s') });
        const { result, events } = await change(load, (snapshot) => decideStatus(snapshot, command, now));
        return { ...result, events };
      },
      async recordAway({ now, ...command }) {
        const load = async (tx: PgTransaction) => ({ case: await caseOf(tx, command.conversationId, 'FOR UPDATE OF c, s') });
        const { result, events } = await change(load, (snapshot) => decideAway(snapshot, command, now));
        return { ...result, events };
      },
      async claimVisitor({ visitorId, user, now }) {
        const load = async (tx: PgTransaction) => {
          const visitor = await tx.row<VisitorRow>(
            `SELECT ${visitorColumns} FROM support_visitors WHERE id = $1 FOR UPDATE`,
            [visitorId],
          );
          const profile = await tx.row<{ name: string }>('SELECT name FROM users WHERE id = $1', [visitorId]);
          const cases = await tx.rows<CaseRow>(
            `${caseQuery} WHERE s.customer_id = $1 ORDER BY s.conversation_id FOR UPDATE OF c, s`,
            [visitorId],
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
  return (await db.row('SELECT 1 FROM support_agents WHERE user_id = $1', [userId])) !== undefined;
}

async function caseOf(db: Queryable, conversationId: string, lock: '' | 'FOR UPDATE OF c, s') {
  const row = await db.row<CaseRow>(`${caseQuery} WHERE s.conversation_id = $1 ${lock}`, [conversationId]);
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
      await tx.run(saveCase, savedCaseColumns.map((column) => row[column]));
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
      await tx.run(
        `UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
           WHERE m.conversation_id = conversations.id AND m.state = 'active')
         WHERE id = $1`,
        [write.conversationId],
      );
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
    case 'addPageView':
      await tx.run(
        `INSERT INTO support_page_views (conversation_id, url, title, context, at) VALUES ($1, $2, $3, $4, $5)`,
        [write.conversationId, write.view.url, write.view.title, jsonOrNull(write.view.context), write.view.at],
      );
      await tx.run(
        `DELETE FROM support_page_views WHERE conversation_id = $1 AND id NOT IN (
           SELECT id FROM support_page_views WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2)`,
        [write.conversationId, write.keep],
      );
      return;
    case 'logActivity': {
      const { kind, by, agentId, at } = write.activity;
      await tx.run(
        `INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at) VALUES ($1, $2, $3, $4, $5)`,
        [write.conversationId, kind, by, agentId, at],
      );
      return;
    }
    case 'touchAssigned':
      await tx.run('UPDATE support_agents SET last_assigned_at = $2 WHERE user_id = $1', [write.agentId, write.at]);
      return;
    case 'revokeAgent':
      await tx.run('DELETE FROM support_agents WHERE user_id = $1', [write.userId]);
      return;
    case 'claimVisitor':
      await tx.run('UPDATE support_visitors SET claimed_by = $2, claimed_at = $3 WHERE id = $1', [
        write.visitorId,
        write.userId,
        write.at,
      ]);
      return;
  }
}

async function recordEvent(tx: PgTransaction, write: Extract<SupportWrite, { kind: 'recordEvent' }>): Promise<Message> {
  const { last_seq: seq } = (await tx.row<{ last_seq: number }>(
    `UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $2)
     WHERE id = $1 RETURNING last_seq`,
    [write.conversationId, write.at],
  ))!;
  const row = {
    id: randomUUID(),
    conversation_id: write.conversationId,
    seq,
    sender_id: write.senderId,
    client_id: systemClientId(),
    body: JSON.stringify({ type: 'system', event: write.event }),
    created_at: write.at,
    reply_to: null,
    edited_at: null,
  };
  await tx.run(
    `INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
     VALUES ($1, $2, $3, $4, $5, 'system', $6, $7)`,
    [row.id, row.conversation_id, seq, row.sender_id, row.client_id, row.body, row.created_at],
  );
  tx.touchConversation(write.conversationId);
  return toMessage(row);
}
