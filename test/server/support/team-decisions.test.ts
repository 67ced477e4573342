import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../src/server/decision.js';
import { BusinessHours } from '../../../src/server/support/business-hours.js';
import type { SupportCaseRecord, SupportWrite } from '../../../src/server/support/case-decisions.js';
import {
  availabilityAt,
  decideJoinOpenCases,
  decideRevokeAgent,
  leastBusyAgent,
  routeCase,
} from '../../../src/server/support/team-decisions.js';

const now = 10_000;
const answered: SupportCaseRecord = {
  conversationId: 'case-1',
  customerId: 'alice',
  visitorNumber: null,
  status: 'open',
  email: null,
  page: null,
  context: null,
  openedAt: 1000,
  resolvedAt: null,
  assigneeId: 'kim',
  awayNotified: true,
};

function allowed<R>(decision: Decision<SupportWrite, R>): { writes: SupportWrite[]; result: R } {
  if (!decision.ok) throw new Error(`refused: ${decision.error.message}`);
  return decision;
}

describe('taking the agent role away', () => {
  it('takes the user out of every case they answer, their open cases waiting unassigned', () => {
    const snapshot = { isAgent: true, assignedOpen: [answered], answering: ['case-1', 'case-2'] };
    const { writes, result } = allowed(decideRevokeAgent(snapshot, 'kim', now));
    expect(result).toEqual({ left: ['case-1', 'case-2'], unassigned: ['case-1'] });
    expect(writes).toEqual([
      { kind: 'revokeAgent', userId: 'kim' },
      { kind: 'saveCase', record: { ...answered, assigneeId: null, awayNotified: false } },
      { kind: 'logActivity', conversationId: 'case-1', activity: { kind: 'assigned', by: null, agentId: null, at: now } },
      { kind: 'leave', conversationId: 'case-1', userId: 'kim', state: 'removed' },
      { kind: 'countMembers', conversationId: 'case-1' },
      { kind: 'leave', conversationId: 'case-2', userId: 'kim', state: 'removed' },
      { kind: 'countMembers', conversationId: 'case-2' },
    ]);
  });

  it('does nothing for someone without the role', () => {
    expect(allowed(decideRevokeAgent({ isAgent: false, assignedOpen: [], answering: [] }, 'kim', now))).toEqual({
      ok: true,
      writes: [],
      result: { left: [], unassigned: [] },
    });
  });
});

describe('an agent arriving', () => {
  it('joins the open cases they are not in yet, silently', () => {
    const { writes, result } = allowed(decideJoinOpenCases({ isAgent: true, missing: ['case-3'] }, 'pat', now));
    expect(result).toEqual(['case-3']);
    expect(writes).toEqual([
      { kind: 'joinSilently', conversationId: 'case-3', userId: 'pat', at: now },
      { kind: 'countMembers', conversationId: 'case-3' },
    ]);
  });

  it('joins nothing without the role', () => {
    expect(allowed(decideJoinOpenCases({ isAgent: false, missing: ['case-3'] }, 'alice', now)).writes).toEqual([]);
  });
});

describe('routing a customer’s message', () => {
  it('gives an unassigned case to an online agent, lets an answered one wait while anyone is here', () => {
    expect(routeCase(null, ['sam'])).toBe('assign');
    expect(routeCase('kim', ['kim'])).toBe('wait');
    expect(routeCase('kim', ['sam'])).toBe('wait');
  });

  it('tells the customer the team is away when nobody is online, assigned or not', () => {
    expect(routeCase(null, [])).toBe('away');
    expect(routeCase('kim', [])).toBe('away');
  });

  it('picks the agent with the fewest open cases, then whoever waited longest, then by id', () => {
    const open = new Map([['sam', 2], ['kim', 1], ['pat', 1]]);
    expect(leastBusyAgent(['sam', 'kim', 'pat'], open, new Map([['kim', 500], ['pat', 300]]))).toBe('pat');
    expect(leastBusyAgent(['sam', 'pat', 'kim'], open, new Map())).toBe('kim');
    expect(leastBusyAgent(['sam', 'lee'], open, new Map())).toBe('lee');
    expect(leastBusyAgent([], open, new Map())).toBeNull();
  });
});

describe('availability', () => {
  it('is always within hours without a schedule', () => {
    expect(availabilityAt({ hours: null, timeZone: 'UTC' }, false, now)).toEqual({
      agentsOnline: false,
      withinHours: true,
      nextOpenAt: null,
      timeZone: 'UTC',
    });
  });

  it('says when the team next answers outside its hours', () => {
    const hours = BusinessHours.parse('mon-fri 09:00-17:00', 'UTC');
    const saturday = Date.UTC(2026, 0, 3, 12);
    expect(availabilityAt({ hours, timeZone: 'UTC' }, true, saturday)).toEqual({
      agentsOnline: true,
      withinHours: false,
      nextOpenAt: Date.UTC(2026, 0, 5, 9),
      timeZone: 'UTC',
    });
  });
});
