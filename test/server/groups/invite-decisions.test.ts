import { describe, expect, it } from 'vitest';
import { limits } from '../../../src/protocol/limits.js';
import {
  decideCreateInvite,
  decideJoin,
  decideJoinRequest,
  decidePreview,
  decideRevokeInvite,
  judgeInvite,
  type InviteStanding,
} from '../../../src/server/groups/invite-decisions.js';
import { allowed, link, now, outcome, snapshot, team } from './snapshot.js';

describe('judgeInvite', () => {
  const valid: InviteStanding = {
    revokedAt: null,
    expiresAt: null,
    maxUses: null,
    uses: 0,
    dismissed: false,
    joinPolicy: 'open',
    membership: 'none',
    requested: false,
    banned: false,
  };
  const code = (changes: Partial<InviteStanding>) => {
    const verdict = judgeInvite({ ...valid, ...changes }, now);
    return typeof verdict === 'string' ? verdict : verdict.error.code;
  };

  it('checks revoked, dismissed, removed, then members, then expired, used up, closed', () => {
    const everything: Partial<InviteStanding> = {
      expiresAt: now,
      maxUses: 1,
      uses: 1,
      joinPolicy: 'closed',
      membership: 'removed',
      dismissed: true,
      revokedAt: 1,
    };
    expect(code(everything)).toBe('invite_invalid');
    expect(code({ ...everything, revokedAt: null })).toBe('group_dismissed');
    expect(code({ ...everything, revokedAt: null, dismissed: false })).toBe('removed_from_group');
    const live = { ...everything, revokedAt: null, dismissed: false, membership: 'none' as const };
    expect(code({ ...live, membership: 'active' })).toBe('member');
    expect(code(live)).toBe('invite_expired');
    expect(code({ ...live, expiresAt: now + 1 })).toBe('invite_used_up');
    expect(code({ ...live, expiresAt: null, uses: 0 })).toBe('join_closed');
    expect(code({ membership: 'left' })).toBe('join');
    expect(code({ joinPolicy: 'approval' })).toBe('request');
  });

  it('refuses a banned user before anything but a revoked link or a dismissed group', () => {
    expect(code({ banned: true, membership: 'removed' })).toBe('banned_from_group');
    expect(code({ banned: true, membership: 'active' })).toBe('banned_from_group');
    expect(code({ banned: true, dismissed: true })).toBe('group_dismissed');
    expect(code({ banned: true, revokedAt: 1 })).toBe('invite_invalid');
  });

  it('answers a pending request as such while the group wants approval', () => {
    expect(code({ requested: true, joinPolicy: 'approval', maxUses: 1, uses: 1 })).toBe('requested');
    expect(code({ requested: true, joinPolicy: 'open' })).toBe('join');
    expect(code({ requested: true, joinPolicy: 'closed' })).toBe('join_closed');
  });
});

describe('making and revoking links', () => {
  const create = (actorId: string, usableInvites = 0) =>
    decideCreateInvite(snapshot({ usableInvites }), { actorId, code: 'new-code', expiresAt: 20_000, maxUses: 5 }, now);

  it('lets the owner and admins make a link while the group has room for one', () => {
    expect(allowed(create('bob'))).toEqual({
      writes: [
        {
          kind: 'createInvite',
          invite: { code: 'new-code', conversationId: team.id, createdBy: 'bob', createdAt: now, expiresAt: 20_000, maxUses: 5, uses: 0, revokedAt: null },
        },
      ],
      result: { code: 'new-code', conversationId: team.id, createdBy: 'bob', createdAt: now, expiresAt: 20_000, maxUses: 5, uses: 0, revoked: false },
    });
    expect(outcome(create('carol'))).toBe('forbidden');
    expect(outcome(create('erin'))).toBe('not_found');
    expect(outcome(create('alice', limits.activeInvitesMax))).toBe('forbidden');
    expect(outcome(create('alice', limits.activeInvitesMax - 1))).toBe('allowed');
  });

  it('revokes a link of this group once, and answers a second revocation with the link', () => {
    const revoked = allowed(decideRevokeInvite(snapshot(), { actorId: 'alice', code: link.code }, now));
    expect(revoked.writes).toEqual([{ kind: 'revokeInvite', code: link.code, at: now }]);
    expect(revoked.result).toMatchObject({ code: link.code, revoked: true });
    const again = decideRevokeInvite(snapshot({ invite: { ...link, revokedAt: 5000 } }), { actorId: 'alice', code: link.code }, now);
    expect(allowed(again)).toEqual({ writes: [], result: revoked.result });
    const elsewhere = snapshot({ invite: { ...link, conversationId: 'g-other' } });
    expect(outcome(decideRevokeInvite(elsewhere, { actorId: 'alice', code: link.code }, now))).toBe('invite_invalid');
    expect(outcome(decideRevokeInvite(snapshot({ invite: null }), { actorId: 'alice', code: 'nope' }, now))).toBe('invite_invalid');
    expect(outcome(decideRevokeInvite(snapshot(), { actorId: 'carol', code: link.code }, now))).toBe('forbidden');
  });
});

describe('joining with a link', () => {
  it('joins at once with an open policy, counting one use, and closes a request left over', () => {
    const { writes, result } = allowed(decideJoin(snapshot(), { userId: 'erin' }, now));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'erin', event: { kind: 'member.joined', userId: 'erin', approvedBy: null } },
      { kind: 'activateMembers', userIds: ['erin'], role: 'member' },
      { kind: 'saveGroup', group: { ...team, memberCount: 4 } },
      { kind: 'closeJoinRequests', userIds: ['erin'] },
      { kind: 'useInvite', code: link.code },
    ]);
    expect(result).toEqual({
      status: 'joined',
      conversationId: team.id,
      change: {
        conversationId: team.id,
        members: [{ userId: 'erin', role: 'member', muted: false, state: 'active' }],
        group: { mutedAll: false, dismissed: false, memberCount: 4 },
      },
    });
  });

  it('lets whoever left come back, and answers a member without a use or an event', () => {
    expect(outcome(decideJoin(snapshot(), { userId: 'dave' }, now))).toBe('allowed');
    expect(allowed(decideJoin(snapshot(), { userId: 'carol' }, now))).toEqual({
      writes: [],
      result: { status: 'joined', conversationId: team.id, change: null },
    });
  });

  it('files one request with an approval policy, and answers a pending one as such', () => {
    const approval = snapshot({ groupChanges: { joinPolicy: 'approval' } });
    const { writes, result } = allowed(decideJoin(approval, { userId: 'erin' }, now));
    const request = { conversationId: team.id, userId: 'erin', requestedAt: now };
    expect(writes).toEqual([
      { kind: 'fileJoinRequest', request, inviteCode: link.code },
      { kind: 'useInvite', code: link.code },
    ]);
    expect(result).toEqual({ status: 'requested', group: expect.objectContaining({ joinPolicy: 'approval' }), request });
    const pending = { ...approval, requesterIds: new Set(['erin']) };
    expect(allowed(decideJoin(pending, { userId: 'erin' }, now))).toMatchObject({ writes: [], result: { request: null } });
    expect(allowed(decidePreview(pending, { userId: 'erin' }, now)).result.membership).toBe('requested');
  });

  it('refuses a code that leads nowhere, a full group, and shows the same in a preview', () => {
    expect(outcome(decideJoin(snapshot({ invite: null }), { userId: 'erin' }, now))).toBe('invite_invalid');
    expect(outcome(decideJoin(snapshot({ group: null }), { userId: 'erin' }, now))).toBe('invite_invalid');
    const full = snapshot({ groupChanges: { memberCount: limits.groupMembersMax } });
    expect(outcome(decideJoin(full, { userId: 'erin' }, now))).toBe('group_full');
    const expired = snapshot({ invite: { ...link, expiresAt: now } });
    expect(outcome(decidePreview(expired, { userId: 'erin' }, now))).toBe('invite_expired');
    expect(allowed(decidePreview(snapshot(), { userId: 'erin' }, now)).result).toEqual({
      group: { id: team.id, name: 'Team', avatar: null, description: '', memberCount: 3, joinPolicy: 'open' },
      membership: 'none',
    });
  });
});

describe('deciding a join request', () => {
  const pending = snapshot({ groupChanges: { joinPolicy: 'approval' }, requesterIds: new Set(['erin']) });

  it('lets the owner and admins approve: the requester joins, approved by them', () => {
    const { writes, result } = allowed(decideJoinRequest(pending, { actorId: 'bob', userId: 'erin', approve: true }));
    expect(writes).toEqual([
      { kind: 'closeJoinRequests', userIds: ['erin'] },
      { kind: 'recordEvent', senderId: 'erin', event: { kind: 'member.joined', userId: 'erin', approvedBy: 'bob' } },
      { kind: 'activateMembers', userIds: ['erin'], role: 'member' },
      { kind: 'saveGroup', group: { ...team, joinPolicy: 'approval', memberCount: 4 } },
    ]);
    expect(result.group.memberCount).toBe(4);
    expect(result.change?.members).toEqual([{ userId: 'erin', role: 'member', muted: false, state: 'active' }]);
  });

  it('closes a rejected request without a change, and refuses without a pending one', () => {
    expect(allowed(decideJoinRequest(pending, { actorId: 'alice', userId: 'erin', approve: false }))).toEqual({
      writes: [{ kind: 'closeJoinRequests', userIds: ['erin'] }],
      result: { change: null, group: expect.objectContaining({ memberCount: 3 }) },
    });
    expect(outcome(decideJoinRequest(pending, { actorId: 'carol', userId: 'erin', approve: true }))).toBe('forbidden');
    expect(outcome(decideJoinRequest(pending, { actorId: 'alice', userId: 'dave', approve: true }))).toBe('not_found');
  });
});
