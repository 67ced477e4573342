/**
 * Rows of support as both storages read them, the SQL that joins a case to its
 * conversation, and their conversion to protocol objects.
 */
import type { SupportActivity, SupportCase, SupportContext } from '../../protocol/index.js';
import type { SupportCaseRecord } from './support-storage.js';

/** The case columns of a conversation view (null for other conversations). */
export interface SupportCaseColumns {
  customer_id: string | null;
  case_status: 'open' | 'resolved' | null;
  assignee_id: string | null;
  case_email: string | null;
  page_url: string | null;
  page_title: string | null;
  case_context: string | null;
  opened_at: number | null;
  resolved_at: number | null;
  away_notified: number | null;
  visitor_number: number | null;
}

export const supportCaseColumns = `s.customer_id,
  s.status AS case_status, s.assignee_id, s.email AS case_email, s.page_url, s.page_title,
  s.context AS case_context, s.opened_at, s.resolved_at, s.away_notified,
  v.number AS visitor_number`;

// A visitor who signed in is no longer the customer: the number goes with them.
export const supportCaseJoins = `LEFT JOIN support_cases s ON s.conversation_id = c.id
  LEFT JOIN support_visitors v ON v.id = s.customer_id AND v.claimed_by IS NULL`;

export type CaseRow = SupportCaseColumns & { conversation_id: string };

export const caseQuery = `
  SELECT s.conversation_id, ${supportCaseColumns}
  FROM support_cases s
  JOIN conversations c ON c.id = s.conversation_id
  LEFT JOIN support_visitors v ON v.id = s.customer_id AND v.claimed_by IS NULL`;

export interface VisitorRow {
  id: string;
  number: number;
  secret_hash: string;
  claimed_by: string | null;
}

export interface PageViewRow {
  url: string;
  title: string;
  context: string | null;
  at: number;
}

export interface ActivityRow {
  kind: SupportActivity['kind'];
  by_id: string | null;
  agent_id: string | null;
  at: number;
}

export function toSupportCase(row: SupportCaseColumns): SupportCase {
  return {
    customerId: row.customer_id!,
    visitorNumber: row.visitor_number,
    status: row.case_status!,
    email: row.case_email,
    page: row.page_url === null ? null : { url: row.page_url, title: row.page_title ?? '' },
    context: parseContext(row.case_context),
    openedAt: row.opened_at!,
    resolvedAt: row.resolved_at,
  };
}

export function toCaseRecord(row: CaseRow): SupportCaseRecord {
  return {
    ...toSupportCase(row),
    conversationId: row.conversation_id,
    assigneeId: row.assignee_id,
    awayNotified: row.away_notified === 1,
  };
}

export function parseContext(value: string | null): SupportContext | null {
  return value === null ? null : (JSON.parse(value) as SupportContext);
}

export function toActivity(row: ActivityRow): SupportActivity {
  return { kind: row.kind, by: row.by_id, agentId: row.agent_id, at: row.at };
}
