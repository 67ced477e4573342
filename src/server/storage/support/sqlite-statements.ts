/** The SQL of the support area on SQLite: what it reads, loads for decisions, and one statement per write. */
import type { Database } from 'better-sqlite3';
import { messageColumns, shownUserColumns, type MessageRow, type ShownUserRow } from '../rows.js';
import {
  caseQuery,
  saveCaseStatement,
  visitorColumns,
  type ActivityRow,
  type CaseRow,
  type PageViewRow,
  type SavedCaseRow,
  type VisitorRow,
} from './case-row.js';

type Member = { conversationId: string; userId: string };
type Versioned = { version: number };

export function prepareSupport(db: Database) {
  return {
    agentIds: db.prepare<[], string>(`SELECT user_id FROM support_agents ORDER BY user_id`).pluck(),
    existingAgentIds: db
      .prepare<[], string>(`SELECT a.user_id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id`)
      .pluck(),
    isAgent: db.prepare<[string], number>(`SELECT 1 FROM support_agents WHERE user_id = ?`).pluck(),
    visitor: db.prepare<[string], VisitorRow>(`SELECT ${visitorColumns} FROM support_visitors WHERE id = ?`),
    claimedVisitorIds: db
      .prepare<[string], string>(`SELECT id FROM support_visitors WHERE claimed_by = ? ORDER BY claimed_at, id`)
      .pluck(),
    caseById: db.prepare<[string], CaseRow>(`${caseQuery} WHERE s.conversation_id = ?`),
    latestCaseOf: db.prepare<[string], CaseRow>(
      `${caseQuery} WHERE s.customer_id = ? ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`,
    ),
    casesOfCustomer: db.prepare<[string], CaseRow>(`${caseQuery} WHERE s.customer_id = ? ORDER BY s.conversation_id`),
    openCasesOf: db.prepare<[string], CaseRow>(
      `${caseQuery} WHERE s.assignee_id = ? AND s.status = 'open' ORDER BY s.conversation_id`,
    ),
    openCaseCounts: db.prepare<[], { assignee_id: string; open: number }>(`
      SELECT assignee_id, count(*) AS open FROM support_cases
      WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`),
    lastAssignedAt: db.prepare<[string], { user_id: string; last_assigned_at: number }>(`
      SELECT user_id, last_assigned_at FROM support_agents WHERE user_id IN (SELECT value FROM json_each(?))`),
    pageViews: db.prepare<[string, number], PageViewRow>(`
      SELECT url, title, context, at FROM support_page_views WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`),
    activity: db.prepare<[string, number], ActivityRow>(`
      SELECT kind, by_id, agent_id, at FROM support_activity WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`),

    customer: db.prepare<[string], { number: number | null }>(`
      SELECT v.number FROM users u
      LEFT JOIN support_visitors v ON v.id = u.id AND v.claimed_by IS NULL WHERE u.id = ?`),
    user: db.prepare<[string], ShownUserRow>(`SELECT ${shownUserColumns} FROM users WHERE id = ?`),
    member: db.prepare<[string, string], { state: string; read_seq: number }>(
      `SELECT state, read_seq FROM conversation_members WHERE conversation_id = ? AND user_id = ?`,
    ),
    openCasesWithout: db
      .prepare<[{ agentId: string }], string>(`
        SELECT s.conversation_id FROM support_cases s
        WHERE s.status = 'open' AND s.customer_id <> @agentId AND NOT EXISTS (
          SELECT 1 FROM conversation_members m
          WHERE m.conversation_id = s.conversation_id AND m.user_id = @agentId AND m.state = 'active')
        ORDER BY s.conversation_id`)
      .pluck(),
    answering: db
      .prepare<[{ userId: string }], string>(`
        SELECT m.conversation_id FROM conversation_members m
        JOIN support_cases s ON s.conversation_id = m.conversation_id
        WHERE m.user_id = @userId AND m.state = 'active' AND s.customer_id <> @userId
        ORDER BY m.conversation_id`)
      .pluck(),

    grantAgent: db.prepare<[string, number], unknown>(
      `INSERT INTO support_agents (user_id, granted_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    revokeAgent: db.prepare<[string], unknown>(`DELETE FROM support_agents WHERE user_id = ?`),
    touchAssigned: db.prepare<[{ agentId: string; at: number }], unknown>(
      `UPDATE support_agents SET last_assigned_at = @at WHERE user_id = @agentId`,
    ),
    offerMeta: db.prepare<[string, string], unknown>(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
    ),
    readMeta: db.prepare<[string], string>(`SELECT value FROM meta WHERE key = ?`).pluck(),
    nextVisitorNumber: db
      .prepare<[], number>(`UPDATE meta SET value = value + 1 WHERE key = 'visitor_number' RETURNING value`)
      .pluck(),
    nextVersion: db
      .prepare<[], number>(`UPDATE meta SET value = value + 1 WHERE key = 'version' RETURNING value`)
      .pluck(),
    insertVisitorUser: db.prepare<[{ id: string; name: string; now: number }], unknown>(
      `INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES (@id, @name, NULL, @now, @now)`,
    ),
    insertVisitor: db.prepare<[{ id: string; number: number; secretHash: string; now: number }], unknown>(`
      INSERT INTO support_visitors (id, number, secret_hash, created_at) VALUES (@id, @number, @secretHash, @now)`),
    claimVisitor: db.prepare<[{ visitorId: string; userId: string; at: number }], unknown>(
      `UPDATE support_visitors SET claimed_by = @userId, claimed_at = @at WHERE id = @visitorId`,
    ),

    createConversation: db.prepare<
      [{ conversationId: string; customerId: string; name: string; at: number } & Versioned],
      unknown
    >(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, name)
      VALUES (@conversationId, 'support', @customerId, @at, 0, @at, @version, @name)`),
    saveCase: db.prepare<[SavedCaseRow], unknown>(saveCaseStatement((column) => `@${column}`)),
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
    countMembers: db.prepare<[string], unknown>(`
      UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
        WHERE m.conversation_id = conversations.id AND m.state = 'active')
      WHERE id = ?`),
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
    >(`
      INSERT INTO support_page_views (conversation_id, url, title, context, at)
      VALUES (@conversationId, @url, @title, @context, @at)`),
    trimPageViews: db.prepare<[{ conversationId: string; keep: number }], unknown>(`
      DELETE FROM support_page_views WHERE conversation_id = @conversationId AND id NOT IN (
        SELECT id FROM support_page_views WHERE conversation_id = @conversationId ORDER BY id DESC LIMIT @keep)`),
    insertActivity: db.prepare<
      [{ conversationId: string; kind: string; by: string | null; agentId: string | null; at: number }],
      unknown
    >(`
      INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at)
      VALUES (@conversationId, @kind, @by, @agentId, @at)`),
  };
}

export type SupportStatements = ReturnType<typeof prepareSupport>;
