/**
 * The team's rules: who takes part in which cases as the role comes and goes, who
 * answers a customer who writes, and when the team is there at all. Pure, like
 * case-decisions.ts.
 */
import type { SupportAvailability } from '../../protocol/index.js';
import { allow, type Decision } from '../decision.js';
import type { SupportCaseRecord, SupportWrite } from './case-decisions.js';
import type { SupportSettings } from './support-settings.js';

export interface RevokeSnapshot {
  isAgent: boolean;
  /** The open cases the user answers. */
  assignedOpen: readonly SupportCaseRecord[];
  /** The support conversations the user is an active member of, other than as a customer. */
  answering: readonly string[];
}

/**
 * Takes the role away: the user leaves every support conversation (state `removed`,
 * without a timeline event), and the open cases assigned to them wait unassigned.
 */
export function decideRevokeAgent(
  snapshot: RevokeSnapshot,
  userId: string,
  now: number,
): Decision<SupportWrite, { left: string[]; unassigned: string[] }> {
  if (!snapshot.isAgent) return allow([], { left: [], unassigned: [] });
  const writes: SupportWrite[] = [{ kind: 'revokeAgent', userId }];
  for (const record of snapshot.assignedOpen) {
    const { conversationId } = record;
    writes.push(
      { kind: 'saveCase', record: { ...record, assigneeId: null, awayNotified: false } },
      { kind: 'logActivity', conversationId, activity: { kind: 'assigned', by: null, agentId: null, at: now } },
    );
  }
  for (const conversationId of snapshot.answering) {
    writes.push({ kind: 'leave', conversationId, userId, state: 'removed' }, { kind: 'countMembers', conversationId });
  }
  return allow(writes, {
    left: [...snapshot.answering],
    unassigned: snapshot.assignedOpen.map((record) => record.conversationId),
  });
}

/**
 * Makes an agent (an existing user) an active member of every open case they are not in
 * yet, everything in it unread; someone without the role joins nothing.
 */
export function decideJoinOpenCases(
  snapshot: { isAgent: boolean; missing: readonly string[] },
  agentId: string,
  now: number,
): Decision<SupportWrite, string[]> {
  if (!snapshot.isAgent) return allow([], []);
  const writes = snapshot.missing.flatMap((conversationId): SupportWrite[] => [
    { kind: 'joinSilently', conversationId, userId: agentId, at: now },
    { kind: 'countMembers', conversationId },
  ]);
  return allow(writes, [...snapshot.missing]);
}

/**
 * What a customer's message asks of the team: an unassigned case goes to an online agent;
 * a case someone answers waits for them while anyone of the team is here; with nobody
 * here, the customer is told when someone will be.
 */
export function routeCase(assigneeId: string | null, onlineAgentIds: readonly string[]): 'assign' | 'wait' | 'away' {
  if (onlineAgentIds.length === 0) return 'away';
  return assigneeId === null ? 'assign' : 'wait';
}

/** The online agent with the fewest open cases; among equals, whoever waited longest since their last. */
export function leastBusyAgent(
  onlineAgentIds: readonly string[],
  openCases: ReadonlyMap<string, number>,
  lastAssignedAt: ReadonlyMap<string, number>,
): string | null {
  const sorted = [...onlineAgentIds].sort(
    (a, b) =>
      (openCases.get(a) ?? 0) - (openCases.get(b) ?? 0) ||
      (lastAssignedAt.get(a) ?? 0) - (lastAssignedAt.get(b) ?? 0) ||
      (a < b ? -1 : 1),
  );
  return sorted[0] ?? null;
}

/** Whether and when the team answers, as customers are told. */
export function availabilityAt(
  { hours, timeZone }: Pick<SupportSettings, 'hours' | 'timeZone'>,
  agentsOnline: boolean,
  now: number,
): SupportAvailability {
  return {
    agentsOnline,
    withinHours: hours ? hours.isOpen(now) : true,
    nextOpenAt: hours ? hours.nextOpening(now) : null,
    timeZone,
  };
}
