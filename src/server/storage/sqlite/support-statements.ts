/** The SQL of support on SQLite: agents, visitors, cases, page views, activity. */
import type { Database } from 'better-sqlite3';
import {
  caseQuery,
  type ActivityRow,
  type CaseRow,
  type PageViewRow,
  type VisitorRow,
} from '../support-rows.js';

export function prepareSupportStatements(db: Database) {
  return {
    grantAgent: db.prepare<[string, number], unknown>(
      `INSERT INTO support_agents (user_id, granted_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    deleteAgent: db.prepare<[string], unknown>(`DELETE FROM support_agents WHERE user_id = ?`),
    agentIds: db.prepare<[], string>(`SELECT user_id FROM support_agents ORDER BY user_id`).pluck(),
    existingAgentIds: db
      .prepare<[], string>(
        `SELECT a.user_id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id`,
      )
      .pluck(),
    isAgent: db.prepare<[string], number>(`SELECT 1 FROM support_agents WHERE user_id = ?`).pluck(),
    openCasesWithout: db
      .prepare<[{ agentId: string }], string>(`
        SELECT s.conversation_id FROM support_cases s
        WHERE s.status = 'open' AND s.customer_id <> @agentId AND NOT EXISTS (
          SELECT 1 FROM conversation_members m
          WHERE m.conversation_id = s.conversation_id AND m.user_id = @agentId AND m.state = 'active')`)
      .pluck(),
    // Joins without a timeline event. An agent who lost the role and got it back is active
    // again; what they read stays.
    joinSilently: db.prepare<
      [{ conversationId: string; userId: string; now: number; version: number }],
      unknown
    >(`
      INSERT INTO conversation_members (conversation_id, user_id, joined_at, version)
      VALUES (@conversationId, @userId, @now, @version)
      ON CONFLICT (conversation_id, user_id) DO UPDATE
        SET state = 'active', left_seq = NULL, version = excluded.version`),
    countMembers: db.prepare<[string], unknown>(`
      UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
        WHERE m.conversation_id = conversations.id AND m.state = 'active')
      WHERE id = ?`),
    leaveSupportCases: db
      .prepare<[{ userId: string; version: number }], string>(`
        UPDATE conversation_members
        SET state = 'removed', version = @version,
          left_seq = (SELECT c.last_seq FROM conversations c WHERE c.id = conversation_id)
        WHERE user_id = @userId AND state = 'active'
          AND conversation_id IN (SELECT conversation_id FROM support_cases
            WHERE customer_id <> @userId)
        RETURNING conversation_id`)
      .pluck(),
    openCasesOf: db
      .prepare<[string], string>(
        `SELECT conversation_id FROM support_cases WHERE assignee_id = ? AND status = 'open'`,
      )
      .pluck(),

    offerMeta: db.prepare<[string, string], unknown>(
      `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
    ),
    readMeta: db.prepare<[string], string>(`SELECT value FROM meta WHERE key = ?`).pluck(),
    nextVisitorNumber: db.prepare<[], { value: number }>(
      `UPDATE meta SET value = value + 1 WHERE key = 'visitor_number' RETURNING value`,
    ),
    insertVisitor: db.prepare<[{ id: string; number: number; secretHash: string; now: number }], unknown>(`
      INSERT INTO support_visitors (id, number, secret_hash, created_at)
      VALUES (@id, @number, @secretHash, @now)`),
    visitor: db.prepare<[string], VisitorRow>(
      `SELECT id, number, secret_hash, claimed_by FROM support_visitors WHERE id = ?`,
    ),
    claimedVisitorIds: db
      .prepare<[string], string>(
        `SELECT id FROM support_visitors WHERE claimed_by = ? ORDER BY claimed_at, id`,
      )
      .pluck(),
    claimVisitor: db.prepare<[{ id: string; userId: string; now: number }], unknown>(
      `UPDATE support_visitors SET claimed_by = @userId, claimed_at = @now WHERE id = @id`,
    ),

    insertSupportConversation: db.prepare<
      [{ id: string; customerId: string; name: string; now: number; version: number }],
      unknown
    >(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, name)
      VALUES (@id, 'support', @customerId, @now, 0, @now, @version, @name)`),
    insertCase: db.prepare<
      [{
        conversationId: string;
        customerId: string;
        email: string | null;
        pageUrl: string | null;
        pageTitle: string | null;
        context: string | null;
        now: number;
      }],
      unknown
    >(`
      INSERT INTO support_cases
        (conversation_id, customer_id, status, email, page_url, page_title, context, opened_at)
      VALUES (@conversationId, @customerId, 'open', @email, @pageUrl, @pageTitle, @context, @now)`),
    caseById: db.prepare<[string], CaseRow>(`${caseQuery} WHERE s.conversation_id = ?`),
    latestCaseOf: db.prepare<[string], CaseRow>(
      `${caseQuery} WHERE s.customer_id = ? ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`,
    ),
    casesOfCustomer: db
      .prepare<[string], string>(`SELECT conversation_id FROM support_cases WHERE customer_id = ?`)
      .pluck(),
    saveCase: db.prepare<
      [{
        conversationId: string;
        customerId: string;
        status: 'open' | 'resolved';
        assigneeId: string | null;
        email: string | null;
        pageUrl: string | null;
        pageTitle: string | null;
        context: string | null;
        openedAt: number;
        resolvedAt: number | null;
        awayNotified: number;
      }],
      unknown
    >(`
      UPDATE support_cases SET customer_id = @customerId, status = @status,
        assignee_id = @assigneeId, email = @email, page_url = @pageUrl, page_title = @pageTitle,
        context = @context, opened_at = @openedAt, resolved_at = @resolvedAt,
        away_notified = @awayNotified
      WHERE conversation_id = @conversationId`),
    touchConversation: db.prepare<[{ id: string; version: number }], unknown>(
      `UPDATE conversations SET version = @version WHERE id = @id`,
    ),

    lastPageView: db.prepare<[string], PageViewRow>(`
      SELECT url, title, context, at FROM support_page_views
      WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`),
    insertPageView: db.prepare<
      [{ conversationId: string; url: string; title: string; context: string | null; at: number }],
      unknown
    >(`
      INSERT INTO support_page_views (conversation_id, url, title, context, at)
      VALUES (@conversationId, @url, @title, @context, @at)`),
    trimPageViews: db.prepare<[{ conversationId: string; keep: number }], unknown>(`
      DELETE FROM support_page_views WHERE conversation_id = @conversationId AND id NOT IN (
        SELECT id FROM support_page_views WHERE conversation_id = @conversationId
        ORDER BY id DESC LIMIT @keep)`),
    pageViews: db.prepare<[string, number], PageViewRow>(`
      SELECT url, title, context, at FROM support_page_views
      WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`),
    insertActivity: db.prepare<
      [{ conversationId: string; kind: string; by: string | null; agentId: string | null; at: number }],
      unknown
    >(`
      INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at)
      VALUES (@conversationId, @kind, @by, @agentId, @at)`),
    activity: db.prepare<[string, number], ActivityRow>(`
      SELECT kind, by_id, agent_id, at FROM support_activity
      WHERE conversation_id = ? ORDER BY id DESC LIMIT ?`),

    openCaseCounts: db.prepare<[], { assignee_id: string; open: number }>(`
      SELECT assignee_id, count(*) AS open FROM support_cases
      WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`),
    lastAssignedAt: db.prepare<[string], { user_id: string; last_assigned_at: number }>(`
      SELECT user_id, last_assigned_at FROM support_agents
      WHERE user_id IN (SELECT value FROM json_each(?))`),
    touchAssigned: db.prepare<[number, string], unknown>(
      `UPDATE support_agents SET last_assigned_at = ? WHERE user_id = ?`,
    ),
  };
}

export type SupportStatements = ReturnType<typeof prepareSupportStatements>;
