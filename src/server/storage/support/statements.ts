/**
 * The support area's statements whose SQL both backends agree on, written once. Lists of
 * ids select them `AS id`: SQLite plucks the first column, PostgreSQL reads `id`. Where
 * PostgreSQL locks the rows it loads, it appends its lock clause to these texts.
 */
import { shownUserColumns } from '../rows.js';
import { sharedSql } from '../shared-sql.js';
import { caseQuery, savedCaseColumns, visitorColumns } from './case-row.js';

const byCustomer = `${caseQuery} WHERE s.customer_id = @customerId`;

export const supportSql = {
  agentIds: sharedSql('SELECT user_id AS id FROM support_agents ORDER BY user_id'),
  existingAgentIds: sharedSql(
    'SELECT a.user_id AS id FROM support_agents a JOIN users u ON u.id = a.user_id ORDER BY a.user_id',
  ),
  isAgent: sharedSql('SELECT 1 FROM support_agents WHERE user_id = @userId'),
  visitor: sharedSql(`SELECT ${visitorColumns} FROM support_visitors WHERE id = @visitorId`),
  claimedVisitorIds: sharedSql('SELECT id FROM support_visitors WHERE claimed_by = @userId ORDER BY claimed_at, id'),
  caseById: sharedSql(`${caseQuery} WHERE s.conversation_id = @conversationId`),
  latestCaseOf: sharedSql(`${byCustomer} ORDER BY c.updated_at DESC, c.created_at DESC LIMIT 1`),
  casesOfCustomer: sharedSql(`${byCustomer} ORDER BY s.conversation_id`),
  openCasesOf: sharedSql(`${caseQuery} WHERE s.assignee_id = @agentId AND s.status = 'open' ORDER BY s.conversation_id`),
  openCaseCounts: sharedSql(`
    SELECT assignee_id, count(*) AS open FROM support_cases
    WHERE status = 'open' AND assignee_id IS NOT NULL GROUP BY assignee_id`),
  pageViews: sharedSql(`
    SELECT url, title, context, at FROM support_page_views
    WHERE conversation_id = @conversationId ORDER BY id DESC LIMIT @limit`),
  customer: sharedSql(`
    SELECT v.number FROM users u
    LEFT JOIN support_visitors v ON v.id = u.id AND v.claimed_by IS NULL WHERE u.id = @customerId`),
  user: sharedSql(`SELECT ${shownUserColumns} FROM users WHERE id = @userId`),
  member: sharedSql(
    'SELECT state, read_seq FROM conversation_members WHERE conversation_id = @conversationId AND user_id = @userId',
  ),
  openCasesWithout: sharedSql(`
    SELECT s.conversation_id AS id FROM support_cases s
    WHERE s.status = 'open' AND s.customer_id <> @agentId AND NOT EXISTS (
      SELECT 1 FROM conversation_members m
      WHERE m.conversation_id = s.conversation_id AND m.user_id = @agentId AND m.state = 'active')
    ORDER BY s.conversation_id`),
  answering: sharedSql(`
    SELECT m.conversation_id AS id FROM conversation_members m
    JOIN support_cases s ON s.conversation_id = m.conversation_id
    WHERE m.user_id = @userId AND m.state = 'active' AND s.customer_id <> @userId
    ORDER BY m.conversation_id`),

  revokeAgent: sharedSql('DELETE FROM support_agents WHERE user_id = @userId'),
  touchAssigned: sharedSql('UPDATE support_agents SET last_assigned_at = @at WHERE user_id = @agentId'),
  offerMeta: sharedSql('INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING'),
  readMeta: sharedSql('SELECT value FROM meta WHERE key = @key'),
  insertVisitor: sharedSql(
    'INSERT INTO support_visitors (id, number, secret_hash, created_at) VALUES (@id, @number, @secretHash, @now)',
  ),
  claimVisitor: sharedSql('UPDATE support_visitors SET claimed_by = @userId, claimed_at = @at WHERE id = @visitorId'),
  // Inserts the case or updates every saved column.
  saveCase: sharedSql(`
    INSERT INTO support_cases (${savedCaseColumns.join(', ')})
    VALUES (${savedCaseColumns.map((column) => `@${column}`).join(', ')})
    ON CONFLICT (conversation_id) DO UPDATE
      SET ${savedCaseColumns.slice(1).map((column) => `${column} = excluded.${column}`).join(', ')}`),
  countMembers: sharedSql(`
    UPDATE conversations SET member_count = (SELECT count(*) FROM conversation_members m
      WHERE m.conversation_id = conversations.id AND m.state = 'active')
    WHERE id = @conversationId`),
  insertPageView: sharedSql(`
    INSERT INTO support_page_views (conversation_id, url, title, context, at)
    VALUES (@conversationId, @url, @title, @context, @at)`),
  trimPageViews: sharedSql(`
    DELETE FROM support_page_views WHERE conversation_id = @conversationId AND id NOT IN (
      SELECT id FROM support_page_views WHERE conversation_id = @conversationId ORDER BY id DESC LIMIT @keep)`),
  insertActivity: sharedSql(`
    INSERT INTO support_activity (conversation_id, kind, by_id, agent_id, at)
    VALUES (@conversationId, @kind, @by, @agentId, @at)`),
};
