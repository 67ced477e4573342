/** The SQL of the support area on SQLite: what it reads, loads for decisions, and one statement per write. */
import type { Database } from 'better-sqlite3';
import { messageColumns, type MessageRow, type ShownUserRow } from '../rows.js';
import type { ActivityRow, CaseRow, PageViewRow, SavedCaseRow, VisitorRow } from './case-row.js';
import { supportSql } from './statements.js';

type Member = { conversationId: string; userId: string };
type Versioned = { version: number };

export function prepareSupport(db: Database) {
  return {
    agentIds: db.prepare<[], string>(supportSql.agentIds.sqlite).pluck(),
    existingAgentIds: db.prepare<[], string>(supportSql.existingAgentIds.sqlite).pluck(),
    isAgent: db.prepare<[{ userId: string }], number>(supportSql.isAgent.sqlite).pluck(),
    visitor: db.prepare<[{ visitorId: string }], VisitorRow>(supportSql.visitor.sqlite),
    claimedVisitorIds: db.prepare<[{ userId: string }], string>(supportSql.claimedVisitorIds.sqlite).pluck(),
    caseById: db.prepare<[{ conversationId: string }], CaseRow>(supportSql.caseById.sqlite),
    latestCaseOf: db.prepare<[{ customerId: string }], CaseRow>(supportSql.latestCaseOf.sqlite),
    casesOfCustomer: db.prepare<[{ customerId: string }], CaseRow>(supportSql.casesOfCustomer.sqlite),
    openCasesOf: db.prepare<[{ agentId: string }], CaseRow>(supportSql.openCasesOf.sqlite),
    openCaseCounts: db.prepare<[], { assignee_id: string; open: number }>(supportSql.openCaseCounts.sqlite),
    lastAssignedAt: db.prepare<[string], { user_id: string; last_assigned_at: number }>(`
      SELECT user_id, last_assigned_at FROM support_agents WHERE user_id IN (SELECT value FROM json_each(?))`),
    pageViews: db.prepare<[{ conversationId: string; limit: number }], PageViewRow>(supportSql.pageViews.sqlite),
    activity: db.prepare<[string, number], ActivityRow>(`
      SELECT kind, by_id, agent_id, at FROM support_activity WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`),

    customer: db.prepare<[{ customerId: string }], { number: number | null }>(supportSql.customer.sqlite),
    user: db.prepare<[{ userId: string }], ShownUserRow>(supportSql.user.sqlite),
    member: db.prepare<[Member], { state: string; read_seq: number }>(supportSql.member.sqlite),
    openCasesWithout: db.prepare<[{ agentId: string }], string>(supportSql.openCasesWithout.sqlite).pluck(),
    answering: db.prepare<[{ userId: string }], string>(supportSql.answering.sqlite).pluck(),

    grantAgent: db.prepare<[string, number], unknown>(
      `INSERT INTO support_agents (user_id, granted_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    revokeAgent: db.prepare<[{ userId: string }], unknown>(supportSql.revokeAgent.sqlite),
    touchAssigned: db.prepare<[{ agentId: string; at: number }], unknown>(supportSql.touchAssigned.sqlite),
    offerMeta: db.prepare<[{ key: string; value: string }], unknown>(supportSql.offerMeta.sqlite),
    readMeta: db.prepare<[{ key: string }], string>(supportSql.readMeta.sqlite).pluck(),
    nextVisitorNumber: db
      .prepare<[], number>(`UPDATE meta SET value = value + 1 WHERE key = 'visitor_number' RETURNING value`)
      .pluck(),
    insertVisitorUser: db.prepare<[{ id: string; name: string; now: number }], unknown>(
      `INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES (@id, @name, NULL, @now, @now)`,
    ),
    insertVisitor: db.prepare<[{ id: string; number: number; secretHash: string; now: number }], unknown>(
      supportSql.insertVisitor.sqlite,
    ),
    claimVisitor: db.prepare<[{ visitorId: string; userId: string; at: number }], unknown>(supportSql.claimVisitor.sqlite),

    createConversation: db.prepare<
      [{ conversationId: string; customerId: string; name: string; at: number } & Versioned],
      unknown
    >(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, name)
      VALUES (@conversationId, 'support', @customerId, @at, 0, @at, @version, @name)`),
    saveCase: db.prepare<[SavedCaseRow], unknown>(supportSql.saveCase.sqlite),
    touchConversation: db.prepare<[{ conversationId: string } & Versioned], unknown>(
      `UPDATE conversations SET version = @version WHERE id = @conversationId`,
    ),
    // An agent who lost the role and got it back is active again; what they read stays.
    joinSilently: db.prepare<[Member & { at: number } & Versioned], unknown>(`
      INSERT INTO conversation_members (conversation_id, user_id, joined_at, version)
      VALUES (@conversationId, @userId, @at, @version)
      ON CONFLICT (conversation_id, user_id) DO UPDATE
        SET state = 'active', left_seq = NULL, version = excluded.version`),
    leave: db.prepare<[Member & { state: string } & Versioned], unknown>(`
      UPDATE conversation_members SET state = @state, version = @version,
        left_seq = (SELECT c.last_seq FROM conversations c WHERE c.id = conversation_id)
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    countMembers: db.prepare<[{ conversationId: string }], unknown>(supportSql.countMembers.sqlite),
    setReadSeq: db.prepare<[Member & { readSeq: number } & Versioned], unknown>(`
      UPDATE conversation_members
      SET read_seq = @readSeq, delivered_seq = max(delivered_seq, @readSeq), marked_unread = 0, version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    takeEventSeq: db
      .prepare<[{ conversationId: string; at: number } & Versioned], number>(`
        UPDATE conversations SET last_seq = last_seq + 1, updated_at = max(updated_at, @at), version = @version
        WHERE id = @conversationId RETURNING last_seq`)
      .pluck(),
    insertMessage: db.prepare<[MessageRow], unknown>(`
      INSERT INTO messages (${messageColumns}, type)
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at, @reply_to, @edited_at, 'system')`),
    insertPageView: db.prepare<
      [{ conversationId: string; url: string; title: string; context: string | null; at: number }],
      unknown
    >(supportSql.insertPageView.sqlite),
    trimPageViews: db.prepare<[{ conversationId: string; keep: number }], unknown>(supportSql.trimPageViews.sqlite),
    insertActivity: db.prepare<
      [{ conversationId: string; kind: string; by: string | null; agentId: string | null; at: number }],
      unknown
    >(supportSql.insertActivity.sqlite),
  };
}

export type SupportStatements = ReturnType<typeof prepareSupport>;
