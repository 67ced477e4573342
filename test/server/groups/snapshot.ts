/** Group snapshots for the decision tests: the team of the storage contract, in memory. */
import type { Decision } from '../../../src/server/decision.js';
import type { GroupSnapshot, GroupState, InviteState, MemberState } from '../../../src/server/groups/model.js';

export const now = 10_000;

export const team: GroupState = {
  id: 'g-team',
  type: 'group',
  name: 'Team',
  avatar: null,
  description: '',
  announcement: '',
  joinPolicy: 'open',
  mutedAll: false,
  dismissedAt: null,
  memberCount: 3,
};

/** Alice owns the team; Bob is an admin, Carol a member; Dave left it; Erin never was in it. */
export const members: MemberState[] = [
  { userId: 'alice', role: 'owner', muted: false, state: 'active' },
  { userId: 'bob', role: 'admin', muted: false, state: 'active' },
  { userId: 'carol', role: 'member', muted: false, state: 'active' },
  { userId: 'dave', role: 'member', muted: false, state: 'left' },
];

export const link: InviteState = {
  code: 'code-1',
  conversationId: team.id,
  createdBy: 'bob',
  createdAt: 3000,
  expiresAt: null,
  maxUses: null,
  uses: 0,
  revokedAt: null,
};

export function snapshot(changes: Partial<GroupSnapshot> & { groupChanges?: Partial<GroupState> } = {}): GroupSnapshot {
  const { groupChanges, ...rest } = changes;
  return {
    group: { ...team, ...groupChanges },
    members: new Map(members.map((member) => [member.userId, member])),
    existingUserIds: new Set(['alice', 'bob', 'carol', 'dave', 'erin']),
    invite: link,
    requesterIds: new Set(),
    usableInvites: 0,
    bannedIds: new Set(),
    blockedWithActor: new Set(),
    ...rest,
  };
}

/** The refusal's code, or 'allowed'. */
export function outcome(decision: Decision<unknown, unknown>): string {
  return decision.ok ? 'allowed' : decision.error.code;
}

export function allowed<W, R>(decision: Decision<W, R>): { writes: W[]; result: R } {
  if (!decision.ok) throw new Error(`refused: ${decision.error.code} ${decision.error.message}`);
  return { writes: decision.writes, result: decision.result };
}
