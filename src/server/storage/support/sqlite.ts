/**
 * The support area on SQLite: loads what a decision looks at and applies its writes in
 * one immediate transaction, so concurrent changes of one case take turns.
 */
import { randomBytes } from 'node:crypto';
import type { Message } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import type { Decision } from '../../decision.js';
import { decideAssign, decideAway, decideCaseDetails, decideOpenCase, decideStatus, type SupportWrite } from '../../support/case-decisions.js';
import { decideJoinOpenCases, decideRevokeAgent } from '../../support/team-decisions.js';
import { decideClaim, visitorName } from '../../support/visitor-decisions.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { systemEventRow, toMessage, toUser } from '../rows.js';
import { activityKept, jsonOrNull, toActivity, toCaseRecord, toPageView, toSavedCaseRow, toVisitor } from './case-row.js';
import type { SupportStorage } from './contract.js';
import { decideNow, type Decided } from './decided.js';
import { prepareSupport, type SupportStatements } from './sqlite-statements.js';

const visitorSecretKey = 'visitor_token_secret';

export function sqliteSupport(connection: SqliteConnection): SupportStorage {
  // Async, so that a closed or unreachable database rejects rather than throws.
  const read = async <T>(operation: (sql: SupportStatements) => T): Promise<T> => connection.run(prepareSupport, operation);
  const caseOf = (sql: SupportStatements, conversationId: string) => {
    const row = sql.caseById.get({ conversationId });
    return row ? toCaseRecord(row) : null;
  };
  /** Loads, decides and applies in one write transaction. */
  const change = async <Snapshot, Result>(
    load: (sql: SupportStatements) => Snapshot,
    decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  ): Promise<Decided<Result>> => connection.write(prepareSupport, (sql) => decideNow(load(sql), decide, applier(connection, sql)));

  return {
    read: {
      listAgentIds: () => read((sql) => sql.agentIds.all()),
      isAgent: (userId) => read((sql) => sql.isAgent.get({ userId }) === 1),
      getVisitor: (id) => read((sql) => {
        const row = sql.visitor.get({ visitorId: id });
        return row ? toVisitor(row) : null;
      }),
      claimedVisitorIds: (userId) => read((sql) => sql.claimedVisitorIds.all({ userId })),
      latestCaseOf: (customerId) => read((sql) => {
        const row = sql.latestCaseOf.get({ customerId });
        return row ? toCaseRecord(row) : null;
      }),
      getCase: (conversationId) => read((sql) => caseOf(sql, conversationId)),
      openCaseCounts: () => read((sql) => new Map(sql.openCaseCounts.all().map((row) => [row.assignee_id, row.open]))),
      lastAssignedAt: (agentIds) =>
        read((sql) => new Map(sql.lastAssignedAt.all(JSON.stringify(agentIds)).map((row) => [row.user_id, row.last_assigned_at]))),
      // In one transaction, so pages and activity agree.
      caseDetails: (conversationId) =>
        read((sql) =>
          connection.db.transaction(() => ({
            pages: sql.pageViews.all({ conversationId, limit: limits.supportPagesKept }).map(toPageView),
            activity: sql.activity.all(conversationId, activityKept).map(toActivity),
          }))(),
        ),
    },
    write: {
      async grantAgentRole(userIds, now) {
        connection.write(prepareSupport, (sql) => {
          for (const userId of userIds) sql.grantAgent.run(userId, now);
        });
      },
      async revokeAgentRole(userId, now) {
        const load = (sql: SupportStatements) => ({
          isAgent: sql.isAgent.get({ userId }) === 1,
          assignedOpen: sql.openCasesOf.all({ agentId: userId }).map(toCaseRecord),
          answering: sql.answering.all({ userId }),
        });
        return (await change(load, (snapshot) => decideRevokeAgent(snapshot, userId, now))).result;
      },
      async joinOpenCases(agentId, now) {
        const load = (sql: SupportStatements) => ({
          isAgent: sql.isAgent.get({ userId: agentId }) === 1,
          missing: sql.openCasesWithout.all({ agentId }),
        });
        return (await change(load, (snapshot) => decideJoinOpenCases(snapshot, agentId, now))).result;
      },
      // Two processes starting at once agree: the first insert wins, both read it back.
      async visitorTokenSecret() {
        const secret = connection.write(prepareSupport, (sql) => {
          sql.offerMeta.run({ key: visitorSecretKey, value: randomBytes(32).toString('base64url') });
          return sql.readMeta.get({ key: visitorSecretKey })!;
        });
        return Buffer.from(secret, 'base64url');
      },
      async createVisitor({ id, secretHash, now }) {
        return connection.write(prepareSupport, (sql) => {
          const number = sql.nextVisitorNumber.get()!;
          sql.insertVisitorUser.run({ id, name: visitorName(number), now });
          sql.insertVisitor.run({ id, number, secretHash, now });
          return { id, number, secretHash, claimedBy: null };
        });
      },
      async ensureSupportConversation({ now, ...command }) {
        const load = (sql: SupportStatements) => {
          const latest = sql.latestCaseOf.get({ customerId: command.customerId });
          const customer = sql.customer.get({ customerId: command.customerId });
          return {
            existing: latest ? toCaseRecord(latest) : null,
            customer: {
              exists: customer !== undefined,
              isAgent: sql.isAgent.get({ userId: command.customerId }) === 1,
              visitorNumber: customer?.number ?? null,
            },
            agentIds: sql.existingAgentIds.all(),
          };
        };
        return (await change(load, (snapshot) => decideOpenCase(snapshot, command, now))).result;
      },
      async updateCaseDetails(conversationId, details, now) {
        const load = (sql: SupportStatements) => {
          const [last] = sql.pageViews.all({ conversationId, limit: 1 });
          return { case: caseOf(sql, conversationId), lastPage: last ? toPageView(last) : null };
        };
        const { result, events } = await change(load, (snapshot) => decideCaseDetails(snapshot, details, now));
        return { ...result, events };
      },
      async assignCase({ now, ...command }) {
        const load = (sql: SupportStatements) => {
          const user = sql.user.get({ userId: command.agentId });
          return {
            case: caseOf(sql, command.conversationId),
            agent: {
              isAgent: sql.isAgent.get({ userId: command.agentId }) === 1,
              memberState: sql.member.get({ conversationId: command.conversationId, userId: command.agentId })?.state ?? null,
              user: user ? toUser(user) : null,
            },
          };
        };
        const { result, events } = await change(load, (snapshot) => decideAssign(snapshot, command, now));
        return { ...result, events };
      },
      async setCaseStatus({ now, ...command }) {
        const load = (sql: SupportStatements) => ({ case: caseOf(sql, command.conversationId) });
        const { result, events } = await change(load, (snapshot) => decideStatus(snapshot, command, now));
        return { ...result, events };
      },
      async recordAway({ now, ...command }) {
        const load = (sql: SupportStatements) => ({ case: caseOf(sql, command.conversationId) });
        const { result, events } = await change(load, (snapshot) => decideAway(snapshot, command, now));
        return { ...result, events };
      },
      async claimVisitor({ visitorId, user, now }) {
        const load = (sql: SupportStatements) => {
          const visitor = sql.visitor.get({ visitorId });
          return {
            visitor: visitor ? toVisitor(visitor) : null,
            visitorName: sql.user.get({ userId: visitorId })?.name ?? '',
            claimantIsAgent: sql.isAgent.get({ userId: user.id }) === 1,
            cases: sql.casesOfCustomer.all({ customerId: visitorId }).map((row) => ({
              record: toCaseRecord(row),
              visitorReadSeq: sql.member.get({ conversationId: row.conversation_id, userId: visitorId })?.read_seq ?? 0,
            })),
          };
        };
        const { result, events } = await change(load, (snapshot) => decideClaim(snapshot, { visitorId, user }, now));
        return { ...result, events };
      },
    },
  };
}

/** Applies writes with one change version for the whole transaction, taken when first needed. */
function applier(connection: SqliteConnection, sql: SupportStatements): (write: SupportWrite) => Message | void {
  let taken: number | undefined;
  const version = () => (taken ??= connection.nextVersion());
  return (write) => {
    switch (write.kind) {
      case 'createConversation':
        sql.createConversation.run({
          conversationId: write.conversationId,
          customerId: write.customerId,
          name: write.name,
          at: write.at,
          version: version(),
        });
        return;
      case 'saveCase':
        sql.saveCase.run(toSavedCaseRow(write.record));
        sql.touchConversation.run({ conversationId: write.record.conversationId, version: version() });
        return;
      case 'joinSilently':
        sql.joinSilently.run({ conversationId: write.conversationId, userId: write.userId, at: write.at, version: version() });
        return;
      case 'leave':
        sql.leave.run({ conversationId: write.conversationId, userId: write.userId, state: write.state, version: version() });
        return;
      case 'countMembers':
        sql.countMembers.run({ conversationId: write.conversationId });
        return;
      case 'setReadSeq':
        sql.setReadSeq.run({ conversationId: write.conversationId, userId: write.userId, readSeq: write.readSeq, version: version() });
        return;
      case 'recordEvent':
        return recordEvent(sql, write, version());
      case 'addPageView': {
        const { conversationId, view, keep } = write;
        sql.insertPageView.run({ conversationId, url: view.url, title: view.title, context: jsonOrNull(view.context), at: view.at });
        sql.trimPageViews.run({ conversationId, keep });
        return;
      }
      case 'logActivity':
        sql.insertActivity.run({ conversationId: write.conversationId, ...write.activity });
        return;
      case 'touchAssigned':
        sql.touchAssigned.run({ agentId: write.agentId, at: write.at });
        return;
      case 'revokeAgent':
        sql.revokeAgent.run({ userId: write.userId });
        return;
      case 'claimVisitor':
        sql.claimVisitor.run({ visitorId: write.visitorId, userId: write.userId, at: write.at });
        return;
    }
  };
}

function recordEvent(
  sql: SupportStatements,
  write: Extract<SupportWrite, { kind: 'recordEvent' }>,
  version: number,
): Message {
  const seq = sql.takeEventSeq.get({ conversationId: write.conversationId, at: write.at, version })!;
  const row = systemEventRow({ conversationId: write.conversationId, now: write.at }, seq, write.senderId, write.event);
  sql.insertMessage.run(row);
  return toMessage(row);
}
