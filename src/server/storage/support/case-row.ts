/**
 * A support case as both storages read and save it: the columns a conversation view
 * joins, the query of a case, the saved columns, and the conversion both ways. A field
 * of the case is mapped here once; the statements of both backends are built from these lists.
 */
import type { PageView, SupportActivity, SupportCase, SupportContext } from '../../../protocol/index.js';
import type { SupportCaseRecord } from '../../support/case-decisions.js';
import type { VisitorRecord } from '../../support/visitor-decisions.js';

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

/** The columns of support_cases a save writes, the key first. */
export const savedCaseColumns = [
  'conversation_id',
  'customer_id',
  'status',
  'assignee_id',
  'email',
  'page_url',
  'page_title',
  'context',
  'opened_at',
  'resolved_at',
  'away_notified',
] as const;

export type SavedCaseRow = Record<(typeof savedCaseColumns)[number], string | number | null>;

export function toSavedCaseRow(record: SupportCaseRecord): SavedCaseRow {
  return {
    conversation_id: record.conversationId,
    customer_id: record.customerId,
    status: record.status,
    assignee_id: record.assigneeId,
    email: record.email,
    page_url: record.page?.url ?? null,
    page_title: record.page?.title ?? null,
    context: jsonOrNull(record.context),
    opened_at: record.openedAt,
    resolved_at: record.resolvedAt,
    away_notified: record.awayNotified ? 1 : 0,
  };
}

export interface VisitorRow {
  id: string;
  number: number;
  secret_hash: string;
  claimed_by: string | null;
}

export const visitorColumns = 'id, number, secret_hash, claimed_by';

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

/** How many activity entries the details of a case show. */
export const activityKept = 100;

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

export function toVisitor(row: VisitorRow): VisitorRecord {
  return { id: row.id, number: row.number, secretHash: row.secret_hash, claimedBy: row.claimed_by };
}

export function toPageView(row: PageViewRow): PageView {
  return { url: row.url, title: row.title, context: parseContext(row.context), at: row.at };
}

export function toActivity(row: ActivityRow): SupportActivity {
  return { kind: row.kind, by: row.by_id, agentId: row.agent_id, at: row.at };
}

export function jsonOrNull(context: SupportContext | null): string | null {
  return context ? JSON.stringify(context) : null;
}

function parseContext(value: string | null): SupportContext | null {
  return value === null ? null : (JSON.parse(value) as SupportContext);
}
