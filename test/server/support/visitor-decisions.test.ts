import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/protocol/index.js';
import type { Decision } from '../../../src/server/decision.js';
import type { SupportCaseRecord, SupportWrite } from '../../../src/server/support/case-decisions.js';
import {
  decideClaim,
  visitorName,
  visitorStanding,
  type ClaimSnapshot,
  type VisitorRecord,
} from '../../../src/server/support/visitor-decisions.js';

const now = 10_000;
const carol: User = { id: 'carol', name: 'Carol', avatar: null };
const visitor: VisitorRecord = { id: 'v_anon', number: 7, secretHash: 'hash', claimedBy: null };
const visitorCase: SupportCaseRecord = {
  conversationId: 'case-1',
  customerId: 'v_anon',
  visitorNumber: 7,
  status: 'open',
  email: null,
  page: null,
  context: null,
  openedAt: 1000,
  resolvedAt: null,
  assigneeId: 'sam',
  awayNotified: false,
};
const snapshot: ClaimSnapshot = {
  visitor,
  visitorName: 'Visitor #7',
  claimantIsAgent: false,
  cases: [{ record: visitorCase, visitorReadSeq: 3 }],
};
const claim = { visitorId: 'v_anon', user: carol };
const refusal = (decision: Decision<SupportWrite, unknown>) => (decision.ok ? null : decision.error.code);

describe('visitors', () => {
  it('are named by their number', () => {
    expect(visitorName(7)).toBe('Visitor #7');
  });

  it('get tokens with their own secret until they sign in', () => {
    const matches = (hash: string) => hash === 'hash';
    expect(visitorStanding(visitor, matches)).toBe('ok');
    expect(visitorStanding(visitor, () => false)).toBe('unknown');
    expect(visitorStanding(null, matches)).toBe('unknown');
    expect(visitorStanding({ ...visitor, claimedBy: 'carol' }, matches)).toBe('claimed');
  });
});

describe('claiming a visitor', () => {
  it('moves each case to the user, who has read what the visitor had, and marks the visitor claimed', () => {
    const decision = decideClaim(snapshot, claim, now);
    if (!decision.ok) throw decision.error;
    expect(decision.result).toEqual({ conversationIds: ['case-1'] });
    expect(decision.writes).toEqual([
      {
        kind: 'recordEvent',
        conversationId: 'case-1',
        senderId: 'carol',
        event: { kind: 'support.identified', visitorId: 'v_anon', visitorName: 'Visitor #7' },
        at: now,
      },
      { kind: 'joinSilently', conversationId: 'case-1', userId: 'carol', at: now },
      { kind: 'setReadSeq', conversationId: 'case-1', userId: 'carol', readSeq: 3 },
      { kind: 'leave', conversationId: 'case-1', userId: 'v_anon', state: 'left' },
      { kind: 'saveCase', record: { ...visitorCase, customerId: 'carol', visitorNumber: null } },
      { kind: 'countMembers', conversationId: 'case-1' },
      { kind: 'claimVisitor', visitorId: 'v_anon', userId: 'carol', at: now },
    ]);
  });

  it('changes nothing when the same user claims again', () => {
    const again = decideClaim({ ...snapshot, visitor: { ...visitor, claimedBy: 'carol' } }, claim, now);
    expect(again).toEqual({ ok: true, writes: [], result: { conversationIds: [] } });
  });

  it('answers anyone else as if there were no such visitor, and refuses agents', () => {
    expect(refusal(decideClaim({ ...snapshot, visitor: { ...visitor, claimedBy: 'dave' } }, claim, now))).toBe('not_found');
    expect(refusal(decideClaim({ ...snapshot, visitor: null }, claim, now))).toBe('not_found');
    expect(refusal(decideClaim({ ...snapshot, claimantIsAgent: true }, claim, now))).toBe('forbidden');
  });
});
