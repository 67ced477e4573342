/**
 * Anonymous visitors' rules: what they are called, which of their secrets and tokens are
 * good, and what signing in does to their conversations. Pure, like case-decisions.ts.
 */
import type { User } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';
import type { SupportCaseRecord, SupportWrite } from './case-decisions.js';

export interface VisitorRecord {
  id: string;
  number: number;
  /** SHA-256 of the visitor's secret, base64url. */
  secretHash: string;
  /** The signed-in user who claimed the visitor, if any. */
  claimedBy: string | null;
}

/** The profile name of the visitor with this number. */
export function visitorName(number: number): string {
  return `Visitor #${number}`;
}

/**
 * Whether a visitor may have a token: `unknown` for no such visitor or a wrong secret,
 * `claimed` once they signed in (their conversations belong to that account then).
 */
export function visitorStanding(
  visitor: VisitorRecord | null,
  secretMatches: (secretHash: string) => boolean,
): 'ok' | 'unknown' | 'claimed' {
  if (!visitor || !secretMatches(visitor.secretHash)) return 'unknown';
  return visitor.claimedBy === null ? 'ok' : 'claimed';
}

export interface ClaimSnapshot {
  visitor: VisitorRecord | null;
  /** The visitor's profile name, as the `support.identified` event keeps it. */
  visitorName: string;
  claimantIsAgent: boolean;
  /** The visitor's cases, with how far the visitor had read each. */
  cases: readonly { record: SupportCaseRecord; visitorReadSeq: number }[];
}

/**
 * Moves the visitor's support conversations to the signed-in user: the user becomes their
 * customer (an active member who has read what the visitor had), the visitor leaves, and
 * each records `support.identified`. The visitor is marked claimed and gives no more
 * tokens. Claiming again by the same user changes nothing; by anyone else, there is no
 * such visitor.
 */
export function decideClaim(
  snapshot: ClaimSnapshot,
  command: { visitorId: string; user: User },
  now: number,
): Decision<SupportWrite, { conversationIds: string[] }> {
  const { visitor } = snapshot;
  const { visitorId, user } = command;
  if (!visitor) return refuse('not_found', 'no such visitor');
  if (visitor.claimedBy === user.id) return allow([], { conversationIds: [] });
  if (visitor.claimedBy !== null) return refuse('not_found', 'no such visitor');
  if (snapshot.claimantIsAgent) return refuse('forbidden', 'agents cannot take over a visitor’s conversations');
  const writes: SupportWrite[] = [];
  for (const { record, visitorReadSeq } of snapshot.cases) {
    const { conversationId } = record;
    writes.push(
      {
        kind: 'recordEvent',
        conversationId,
        senderId: user.id,
        event: { kind: 'support.identified', visitorId, visitorName: snapshot.visitorName },
        at: now,
      },
      { kind: 'joinSilently', conversationId, userId: user.id, at: now },
      // What the visitor had not read yet (an agent's answer) stays unread.
      { kind: 'setReadSeq', conversationId, userId: user.id, readSeq: visitorReadSeq },
      { kind: 'leave', conversationId, userId: visitorId, state: 'left' },
      { kind: 'saveCase', record: { ...record, customerId: user.id, visitorNumber: null } },
      { kind: 'countMembers', conversationId },
    );
  }
  writes.push({ kind: 'claimVisitor', visitorId, userId: user.id, at: now });
  return allow(writes, { conversationIds: snapshot.cases.map(({ record }) => record.conversationId) });
}
