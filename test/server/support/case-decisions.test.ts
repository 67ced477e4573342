import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/protocol/index.js';
import { limits } from '../../../src/protocol/limits.js';
import type { Decision } from '../../../src/server/decision.js';
import {
  decideAssign,
  decideAway,
  decideCaseDetails,
  decideOpenCase,
  decideStatus,
  prechatRefusal,
  type SupportCaseRecord,
  type SupportWrite,
} from '../../../src/server/support/case-decisions.js';

const now = 10_000;
const sam: User = { id: 'sam', name: 'Sam', avatar: null };
const page = (path: string) => ({ url: `https://shop.example${path}`, title: `Page ${path}` });

const openCase: SupportCaseRecord = {
  conversationId: 'case-1',
  customerId: 'alice',
  visitorNumber: null,
  status: 'open',
  email: null,
  page: page('/lamp'),
  context: { sku: 'L1' },
  openedAt: 1000,
  resolvedAt: null,
  assigneeId: null,
  awayNotified: false,
};

function allowed<R>(decision: Decision<SupportWrite, R>): { writes: SupportWrite[]; result: R } {
  if (!decision.ok) throw new Error(`refused: ${decision.error.code} ${decision.error.message}`);
  return decision;
}
const kinds = (writes: SupportWrite[]) => writes.map((write) => write.kind);
const refusal = (decision: Decision<SupportWrite, unknown>) => (decision.ok ? null : decision.error.code);

describe('opening a case', () => {
  const command = { conversationId: 'case-2', customerId: 'alice', name: 'Support', page: page('/lamp'), context: null, email: 'a@example.com' };
  const customer = { exists: true, isAgent: false, visitorNumber: null };

  it('returns the case the customer has instead of opening another', () => {
    const { writes, result } = allowed(decideOpenCase({ existing: openCase, customer, agentIds: ['sam'] }, command, now));
    expect(writes).toEqual([]);
    expect(result).toEqual({ record: openCase, created: false });
  });

  it('opens an unassigned case with the customer and every agent in it, silently, and the first page seen', () => {
    const { writes, result } = allowed(decideOpenCase({ existing: null, customer, agentIds: ['kim', 'sam'] }, command, now));
    expect(result.created).toBe(true);
    expect(result.record).toMatchObject({ status: 'open', assigneeId: null, openedAt: now, email: 'a@example.com', awayNotified: false });
    expect(kinds(writes)).toEqual(['createConversation', 'saveCase', 'joinSilently', 'joinSilently', 'joinSilently', 'countMembers', 'addPageView']);
    expect(writes.filter((write) => write.kind === 'joinSilently').map((write) => write.userId)).toEqual(['alice', 'kim', 'sam']);
  });

  it('refuses agents (they answer cases) and customers who do not exist', () => {
    expect(refusal(decideOpenCase({ existing: null, customer: { ...customer, isAgent: true }, agentIds: [] }, command, now))).toBe('forbidden');
    expect(refusal(decideOpenCase({ existing: null, customer: { ...customer, exists: false }, agentIds: [] }, command, now))).toBe('not_found');
  });

  it('asks for the pre-chat fields the team requires, naming the missing ones', () => {
    expect(prechatRefusal({ name: 'required', email: 'optional' }, { name: 'Alice' })).toBeNull();
    const missing = prechatRefusal({ name: 'required', email: 'required' }, { name: 'Alice' });
    expect(missing).toMatchObject({ code: 'invalid_payload', details: { issues: [{ path: 'prechat.email' }] } });
    expect(prechatRefusal({ name: 'off', email: 'off' }, undefined)).toBeNull();
  });
});

describe('the customer’s page and details', () => {
  it('records a page view when the page differs from the last one, with the case’s context', () => {
    const { writes, result } = allowed(decideCaseDetails({ case: openCase, lastPage: null }, { page: page('/cart') }, now));
    expect(writes).toEqual([
      { kind: 'addPageView', conversationId: 'case-1', view: { ...page('/cart'), context: { sku: 'L1' }, at: now }, keep: limits.supportPagesKept },
      { kind: 'saveCase', record: { ...openCase, page: page('/cart') } },
    ]);
    expect(result).toEqual({ case: { ...openCase, page: page('/cart') }, changed: true });
  });

  it('keeps neither the same page twice nor an unchanged case', () => {
    const lastPage = { ...page('/lamp'), context: { sku: 'L1' }, at: 5000 };
    const { writes, result } = allowed(decideCaseDetails({ case: openCase, lastPage }, { page: page('/lamp') }, now));
    expect(writes).toEqual([]);
    expect(result.changed).toBe(false);
  });

  it('clears the context with null and keeps it when not given', () => {
    expect(allowed(decideCaseDetails({ case: openCase, lastPage: null }, { context: null }, now)).result.case.context).toBeNull();
    expect(allowed(decideCaseDetails({ case: openCase, lastPage: null }, { email: 'a@example.com' }, now)).result.case).toMatchObject({
      context: { sku: 'L1' },
      email: 'a@example.com',
    });
  });

  it('refuses a conversation without a case', () => {
    expect(refusal(decideCaseDetails({ case: null, lastPage: null }, { email: 'a@example.com' }, now))).toBe('not_found');
  });
});

describe('assigning', () => {
  const agent = { isAgent: true, memberState: 'active', user: sam };
  const routing = { conversationId: 'case-1', agentId: 'sam', by: null, onlyIfUnassigned: true };

  it('records the agent joining, then saves the case, the agent’s last assignment and the activity', () => {
    const { writes, result } = allowed(decideAssign({ case: openCase, agent }, routing, now));
    expect(writes).toEqual([
      { kind: 'recordEvent', conversationId: 'case-1', senderId: 'sam', event: { kind: 'support.agent-joined', agent: sam }, at: now },
      { kind: 'saveCase', record: { ...openCase, assigneeId: 'sam' } },
      { kind: 'touchAssigned', agentId: 'sam', at: now },
      { kind: 'logActivity', conversationId: 'case-1', activity: { kind: 'assigned', by: null, agentId: 'sam', at: now } },
    ]);
    expect(result).toEqual({ case: { ...openCase, assigneeId: 'sam' }, changed: true });
  });

  it('leaves a case someone answers to them when routing, and changes nothing for whoever answers already', () => {
    const answered = { ...openCase, assigneeId: 'kim' };
    expect(allowed(decideAssign({ case: answered, agent }, routing, now))).toEqual({ ok: true, writes: [], result: { case: answered, changed: false } });
    const again = allowed(decideAssign({ case: answered, agent }, { ...routing, agentId: 'kim', by: 'kim', onlyIfUnassigned: false }, now));
    expect(again.writes).toEqual([]);
  });

  it('lets an agent hand a case someone answers to another agent', () => {
    const answered = { ...openCase, assigneeId: 'kim', awayNotified: true };
    const { result } = allowed(decideAssign({ case: answered, agent }, { ...routing, by: 'kim', onlyIfUnassigned: false }, now));
    expect(result.case).toMatchObject({ assigneeId: 'sam', awayNotified: false });
  });

  it('refuses someone without the role, or not in the case', () => {
    expect(refusal(decideAssign({ case: openCase, agent: { ...agent, isAgent: false } }, routing, now))).toBe('not_found');
    expect(refusal(decideAssign({ case: openCase, agent: { ...agent, memberState: 'removed' } }, routing, now))).toBe('not_found');
    expect(refusal(decideAssign({ case: openCase, agent: { ...agent, memberState: null, user: null } }, routing, now))).toBe('not_found');
  });
});

describe('resolving and reopening', () => {
  it('resolves, keeping whoever answers, with the activity', () => {
    const answered = { ...openCase, assigneeId: 'sam' };
    const { writes, result } = allowed(decideStatus({ case: answered }, { conversationId: 'case-1', status: 'resolved', by: 'sam' }, now));
    expect(result.case).toMatchObject({ status: 'resolved', resolvedAt: now, assigneeId: 'sam' });
    expect(writes[1]).toEqual({ kind: 'logActivity', conversationId: 'case-1', activity: { kind: 'resolved', by: 'sam', agentId: null, at: now } });
  });

  it('changes nothing when resolving a resolved case again', () => {
    const resolved = { ...openCase, status: 'resolved' as const, resolvedAt: 5000 };
    expect(allowed(decideStatus({ case: resolved }, { conversationId: 'case-1', status: 'resolved', by: 'sam' }, now))).toEqual({
      ok: true,
      writes: [],
      result: { case: resolved, changed: false },
    });
  });

  it('reopens as a new wait: opened now, and the customer may hear the team is away again', () => {
    const resolved = { ...openCase, status: 'resolved' as const, resolvedAt: 5000, awayNotified: true };
    const { result } = allowed(decideStatus({ case: resolved }, { conversationId: 'case-1', status: 'open', by: null }, now));
    expect(result.case).toMatchObject({ status: 'open', openedAt: now, resolvedAt: null, awayNotified: false });
  });
});

describe('telling the customer nobody is there', () => {
  const away = { conversationId: 'case-1', nextOpenAt: 20_000, message: 'Back on Monday' };

  it('records support.away from the customer once per wait', () => {
    const { writes, result } = allowed(decideAway({ case: openCase }, away, now));
    expect(writes[0]).toEqual({
      kind: 'recordEvent',
      conversationId: 'case-1',
      senderId: 'alice',
      event: { kind: 'support.away', nextOpenAt: 20_000, message: 'Back on Monday' },
      at: now,
    });
    expect(allowed(decideAway({ case: result.case }, away, now + 1)).writes).toEqual([]);
  });

  it('refuses a conversation without a case', () => {
    expect(refusal(decideAway({ case: null }, away, now))).toBe('not_found');
  });
});
