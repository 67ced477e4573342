/**
 * Pure parts of support case changes that both storages share: what a change of the
 * customer's details or of the status makes of a case, and whether an assignment applies.
 */
import type { SupportActivity } from '../../protocol/index.js';
import type { CaseDetails, CaseStatusInput, SupportCaseRecord } from './support-storage.js';

/** The case with the details applied, and whether that changes anything. */
export function withDetails(record: SupportCaseRecord, details: CaseDetails): { next: SupportCaseRecord; changed: boolean } {
  const next = {
    ...record,
    page: details.page ?? record.page,
    context: details.context === undefined ? record.context : details.context,
    email: details.email ?? record.email,
  };
  const changed =
    JSON.stringify([next.page, next.context, next.email]) !== JSON.stringify([record.page, record.context, record.email]);
  return { next, changed };
}

/** The case in its new status and the activity that records it; null when it is in it already. */
export function withStatus(
  record: SupportCaseRecord,
  input: Omit<CaseStatusInput, 'conversationId'>,
): { next: SupportCaseRecord; activity: SupportActivity } | null {
  if (record.status === input.status) return null;
  const reopening = input.status === 'open';
  return {
    next: {
      ...record,
      status: input.status,
      openedAt: reopening ? input.now : record.openedAt,
      resolvedAt: reopening ? null : input.now,
      awayNotified: reopening ? false : record.awayNotified,
    },
    activity: { kind: reopening ? 'reopened' : 'resolved', by: input.by, agentId: null, at: input.now },
  };
}

/** Whether assigning `agentId` changes the case (routing leaves a case someone answers). */
export function assignmentApplies(record: SupportCaseRecord, agentId: string, onlyIfUnassigned: boolean): boolean {
  return record.assigneeId !== agentId && !(onlyIfUnassigned && record.assigneeId !== null);
}
