import { describe, expect, it } from 'vitest';
import { limits } from '../../../src/protocol/limits.js';
import {
  decideAddMembers,
  decideBanMember,
  decideCreateGroup,
  decideLiftBan,
  decideDismissGroup,
  decideLeaveGroup,
  decideMuteAll,
  decideMuteMember,
  decideRemoveMember,
  decideSetJoinPolicy,
  decideSetMemberRole,
  decideTransferOwnership,
  decideUpdateGroup,
} from '../../../src/server/groups/decisions.js';
import { allowed, now, outcome, snapshot, team } from './snapshot.js';

const create = (memberIds: string[], existing = ['alice', 'bob', 'carol']) =>
  decideCreateGroup(
    snapshot({ group: null, members: new Map(), existingUserIds: new Set(existing) }),
    { id: 'g-new', ownerId: 'alice', name: 'New', avatar: null, description: '', memberIds },
    now,
  );

describe('creating a group', () => {
  it('records the group, then its first members, and makes them members after both', () => {
    const { writes, result } = allowed(create(['bob', 'carol', 'bob', 'alice']));
    expect(writes.map((write) => write.kind)).toEqual([
      'createGroup',
      'recordEvent',
      'recordEvent',
      'activateMembers',
      'activateMembers',
    ]);
    expect(writes[0]).toMatchObject({ group: { id: 'g-new', joinPolicy: 'open', memberCount: 3 }, createdBy: 'alice', createdAt: now });
    expect(writes[2]).toEqual({ kind: 'recordEvent', senderId: 'alice', event: { kind: 'members.added', userIds: ['bob', 'carol'] } });
    expect(result.members.map((member) => [member.userId, member.role])).toEqual([
      ['alice', 'owner'],
      ['bob', 'member'],
      ['carol', 'member'],
    ]);
    expect(result.group).toEqual({ mutedAll: false, dismissed: false, memberCount: 3 });
  });

  it('records no members.added for a group of one', () => {
    expect(allowed(create([])).writes.filter((write) => write.kind === 'recordEvent')).toHaveLength(1);
  });

  it('refuses users who do not exist, and more members than a group takes', () => {
    expect(outcome(create(['bob', 'nobody']))).toBe('not_found');
    const crowd = Array.from({ length: limits.groupMembersMax }, (_, index) => `user-${index}`);
    expect(outcome(create(crowd, ['alice', ...crowd]))).toBe('group_full');
    expect(outcome(create(crowd.slice(1), ['alice', ...crowd]))).toBe('allowed');
  });
});

describe('who may change a group', () => {
  it('answers non-members as if the group did not exist, and members of a dismissed one with group_dismissed', () => {
    const rename = (actorId: string, changes = {}) =>
      outcome(decideUpdateGroup(snapshot(changes), { actorId, changes: { name: 'X' } }));
    expect(rename('erin')).toBe('not_found');
    expect(rename('dave')).toBe('not_found');
    expect(rename('alice', { group: null })).toBe('not_found');
    expect(rename('alice', { groupChanges: { type: 'single' } })).toBe('not_found');
    expect(rename('alice', { groupChanges: { dismissedAt: 5000 } })).toBe('group_dismissed');
    expect(rename('carol')).toBe('forbidden');
    expect(rename('bob')).toBe('allowed');
  });

  it('lets only the owner and admins add members, mute everyone, or set the join policy', () => {
    for (const actorId of ['alice', 'bob']) {
      expect(outcome(decideAddMembers(snapshot(), { actorId, userIds: ['erin'] }))).toBe('allowed');
      expect(outcome(decideMuteAll(snapshot(), { actorId, muted: true }))).toBe('allowed');
      expect(outcome(decideSetJoinPolicy(snapshot(), { actorId, joinPolicy: 'closed' }))).toBe('allowed');
    }
    expect(outcome(decideAddMembers(snapshot(), { actorId: 'carol', userIds: ['erin'] }))).toBe('forbidden');
    expect(outcome(decideMuteAll(snapshot(), { actorId: 'carol', muted: true }))).toBe('forbidden');
    expect(outcome(decideSetJoinPolicy(snapshot(), { actorId: 'carol', joinPolicy: 'closed' }))).toBe('forbidden');
  });

  it('removes or mutes only someone of a lower role, and a member is refused whoever the target', () => {
    const remove = (actorId: string, userId: string) => outcome(decideRemoveMember(snapshot(), { actorId, userId }));
    const mute = (actorId: string, userId: string) =>
      outcome(decideMuteMember(snapshot(), { actorId, userId, muted: true }));
    expect(remove('bob', 'alice')).toBe('forbidden');
    expect(mute('bob', 'alice')).toBe('forbidden');
    expect(remove('alice', 'alice')).toBe('forbidden');
    expect(remove('carol', 'bob')).toBe('forbidden');
    expect(remove('carol', 'erin')).toBe('forbidden');
    expect(remove('alice', 'erin')).toBe('not_found');
    expect(remove('alice', 'dave')).toBe('not_found');
    expect(remove('bob', 'carol')).toBe('allowed');
    expect(remove('alice', 'bob')).toBe('allowed');
    expect(mute('bob', 'carol')).toBe('allowed');
  });

  it('lets only the owner change roles, hand the group over or dismiss it', () => {
    expect(outcome(decideSetMemberRole(snapshot(), { actorId: 'bob', userId: 'carol', role: 'admin' }))).toBe('forbidden');
    expect(outcome(decideSetMemberRole(snapshot(), { actorId: 'alice', userId: 'alice', role: 'member' }))).toBe('forbidden');
    expect(outcome(decideSetMemberRole(snapshot(), { actorId: 'alice', userId: 'dave', role: 'admin' }))).toBe('not_found');
    expect(outcome(decideTransferOwnership(snapshot(), { actorId: 'bob', userId: 'carol' }))).toBe('forbidden');
    expect(outcome(decideDismissGroup(snapshot(), { actorId: 'bob' }, now))).toBe('forbidden');
  });

  it('keeps the owner in until they hand the group over', () => {
    expect(outcome(decideLeaveGroup(snapshot(), { actorId: 'alice' }))).toBe('owner_must_transfer');
    expect(outcome(decideLeaveGroup(snapshot(), { actorId: 'dave' }))).toBe('not_found');
  });
});

describe('what a change does', () => {
  it('records only the settings that really change, and nothing when none does', () => {
    const changes = { name: 'Team', announcement: 'Ship it' };
    const { writes, result } = allowed(decideUpdateGroup(snapshot(), { actorId: 'bob', changes }));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'bob', event: { kind: 'group.updated', announcement: 'Ship it' } },
      { kind: 'saveGroup', group: { ...team, announcement: 'Ship it' } },
      // A new announcement is a new version to confirm, which its author has confirmed.
      { kind: 'markAnnouncement', authorId: 'bob' },
    ]);
    const renamed = allowed(decideUpdateGroup(snapshot(), { actorId: 'bob', changes: { name: 'Crew' } })).writes;
    expect(renamed.map((write) => write.kind)).toEqual(['recordEvent', 'saveGroup']);
    expect(result).toEqual({ conversationId: team.id, members: [], group: { mutedAll: false, dismissed: false, memberCount: 3 } });
    expect(allowed(decideUpdateGroup(snapshot(), { actorId: 'bob', changes: { name: 'Team' } })).writes).toEqual([]);
  });

  it('adds only who is not an active member, brings back who left, and closes their requests', () => {
    const { writes, result } = allowed(decideAddMembers(snapshot(), { actorId: 'bob', userIds: ['dave', 'carol', 'erin', 'dave'] }));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'bob', event: { kind: 'members.added', userIds: ['dave', 'erin'] } },
      { kind: 'activateMembers', userIds: ['dave', 'erin'], role: 'member' },
      { kind: 'closeJoinRequests', userIds: ['dave', 'erin'] },
      { kind: 'saveGroup', group: { ...team, memberCount: 5 } },
    ]);
    expect(result.members.map((member) => member.userId)).toEqual(['dave', 'erin']);
    expect(allowed(decideAddMembers(snapshot(), { actorId: 'bob', userIds: ['carol'] })).writes).toEqual([]);
    expect(outcome(decideAddMembers(snapshot(), { actorId: 'bob', userIds: ['nobody'] }))).toBe('not_found');
  });

  it('refuses members beyond the group size limit with group_full', () => {
    const nearlyFull = snapshot({ groupChanges: { memberCount: limits.groupMembersMax - 2 } });
    const existingUserIds = new Set(['x1', 'x2', 'x3']);
    const add = (userIds: string[]) => outcome(decideAddMembers({ ...nearlyFull, existingUserIds }, { actorId: 'alice', userIds }));
    expect(add(['x1', 'x2'])).toBe('allowed');
    expect(add(['x1', 'x2', 'x3'])).toBe('group_full');
  });

  it('ends a removed membership with the removal, and counts one member less', () => {
    const { writes, result } = allowed(decideRemoveMember(snapshot(), { actorId: 'bob', userId: 'carol' }));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'bob', event: { kind: 'member.removed', userId: 'carol' } },
      { kind: 'saveMember', member: { userId: 'carol', role: 'member', muted: false, state: 'removed' } },
      { kind: 'saveGroup', group: { ...team, memberCount: 2 } },
    ]);
    expect(result.group.memberCount).toBe(2);
  });

  it('makes the new owner an unmuted owner and the old one an admin', () => {
    const muted = snapshot();
    (muted.members as Map<string, unknown>).set('carol', { userId: 'carol', role: 'member', muted: true, state: 'active' });
    const { writes, result } = allowed(decideTransferOwnership(muted, { actorId: 'alice', userId: 'carol' }));
    expect(writes[0]).toEqual({ kind: 'recordEvent', senderId: 'alice', event: { kind: 'owner.changed', userId: 'carol' } });
    expect(result.members).toEqual([
      { userId: 'carol', role: 'owner', muted: false, state: 'active' },
      { userId: 'alice', role: 'admin', muted: false, state: 'active' },
    ]);
    expect(allowed(decideTransferOwnership(snapshot(), { actorId: 'alice', userId: 'alice' })).writes).toEqual([]);
  });

  it('records a role, a mute, a group mute or a policy only when it changes', () => {
    const role = decideSetMemberRole(snapshot(), { actorId: 'alice', userId: 'carol', role: 'admin' });
    expect(allowed(role).result.members).toEqual([{ userId: 'carol', role: 'admin', muted: false, state: 'active' }]);
    expect(allowed(decideSetMemberRole(snapshot(), { actorId: 'alice', userId: 'bob', role: 'admin' })).writes).toEqual([]);
    expect(allowed(decideMuteMember(snapshot(), { actorId: 'bob', userId: 'carol', muted: false })).writes).toEqual([]);
    expect(allowed(decideMuteAll(snapshot(), { actorId: 'bob', muted: false })).writes).toEqual([]);
    expect(allowed(decideSetJoinPolicy(snapshot(), { actorId: 'bob', joinPolicy: 'open' })).writes).toEqual([]);
    const mutedAll = allowed(decideMuteAll(snapshot(), { actorId: 'bob', muted: true }));
    expect(mutedAll.result.group.mutedAll).toBe(true);
  });

  it('lets a member leave, ending their membership with the event', () => {
    const { writes, result } = allowed(decideLeaveGroup(snapshot(), { actorId: 'carol' }));
    expect(writes.map((write) => write.kind)).toEqual(['recordEvent', 'saveMember', 'saveGroup']);
    expect(result.members).toEqual([{ userId: 'carol', role: 'member', muted: false, state: 'left' }]);
  });

  it('dismisses the group at the given time and closes every join request', () => {
    const { writes, result } = allowed(decideDismissGroup(snapshot(), { actorId: 'alice' }, now));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'alice', event: { kind: 'group.dismissed' } },
      { kind: 'saveGroup', group: { ...team, dismissedAt: now } },
      { kind: 'closeJoinRequests', userIds: 'all' },
    ]);
    expect(result.group.dismissed).toBe(true);
  });
});

describe('a group created with an announcement', () => {
  it('versions it by the creation, confirmed by the owner', () => {
    const { writes } = allowed(
      decideCreateGroup(
        snapshot({ group: null, members: new Map(), existingUserIds: new Set(['alice', 'bob']) }),
        { id: 'g-new', ownerId: 'alice', name: 'New', avatar: null, description: '', announcement: 'Hello', memberIds: ['bob'] },
        now,
      ),
    );
    expect(writes.at(-1)).toEqual({ kind: 'markAnnouncement', authorId: 'alice' });
    expect(writes.map((write) => write.kind).indexOf('activateMembers')).toBeLessThan(writes.length - 1);
  });
});

describe('banning', () => {
  const ban = (actorId: string, userId: string, changes: Parameters<typeof snapshot>[0] = {}) =>
    decideBanMember(snapshot(changes), { actorId, userId }, now);

  it('removes an active member it outranks, records member.removed with banned, and bans them', () => {
    const { writes, result } = allowed(ban('bob', 'carol'));
    expect(writes).toEqual([
      { kind: 'recordEvent', senderId: 'bob', event: { kind: 'member.removed', userId: 'carol', banned: true } },
      { kind: 'saveMember', member: { userId: 'carol', role: 'member', muted: false, state: 'removed' } },
      { kind: 'saveGroup', group: { ...team, memberCount: 2 } },
      { kind: 'ban', userId: 'carol', bannedBy: 'bob', at: now },
      { kind: 'closeJoinRequests', userIds: ['carol'] },
    ]);
    expect(result.members).toEqual([{ userId: 'carol', role: 'member', muted: false, state: 'removed' }]);
  });

  it('bans a former member or someone never in without an event, and a banned user again changes nothing', () => {
    expect(allowed(ban('alice', 'dave')).writes.map((write) => write.kind)).toEqual(['ban', 'closeJoinRequests']);
    expect(allowed(ban('alice', 'erin')).writes.map((write) => write.kind)).toEqual(['ban', 'closeJoinRequests']);
    expect(allowed(ban('alice', 'erin', { bannedIds: new Set(['erin']) })).writes).toEqual([]);
  });

  it('takes an owner or admin who outranks the member; an unknown user is not found', () => {
    expect(outcome(ban('carol', 'erin'))).toBe('forbidden');
    expect(outcome(ban('bob', 'alice'))).toBe('forbidden');
    expect(outcome(ban('alice', 'nobody'))).toBe('not_found');
    expect(outcome(ban('erin', 'carol'))).toBe('not_found');
    expect(outcome(ban('alice', 'carol', { groupChanges: { dismissedAt: 1 } }))).toBe('group_dismissed');
  });

  it('lifts a ban (nobody is added back); lifting none changes nothing; members may not', () => {
    const banned = { bannedIds: new Set(['dave']) };
    expect(allowed(decideLiftBan(snapshot(banned), { actorId: 'bob', userId: 'dave' })).writes).toEqual([
      { kind: 'liftBan', userId: 'dave' },
    ]);
    expect(allowed(decideLiftBan(snapshot(), { actorId: 'bob', userId: 'dave' })).writes).toEqual([]);
    expect(outcome(decideLiftBan(snapshot(banned), { actorId: 'carol', userId: 'dave' }))).toBe('forbidden');
  });

  it('refuses to add a banned user until the ban is lifted', () => {
    const add = (changes: Parameters<typeof snapshot>[0]) =>
      decideAddMembers(snapshot(changes), { actorId: 'alice', userIds: ['dave', 'erin'] });
    expect(outcome(add({ bannedIds: new Set(['erin']) }))).toBe('banned_from_group');
    expect(outcome(add({}))).toBe('allowed');
  });
});

describe('blocks and groups', () => {
  it('refuses adding someone with a block between them and the actor, as neutrally as a single chat', () => {
    const add = decideAddMembers(snapshot({ blockedWithActor: new Set(['erin']) }), { actorId: 'bob', userIds: ['erin'] });
    expect(outcome(add)).toBe('recipient_unavailable');
    expect(outcome(create(['bob', 'carol']))).toBe('allowed');
    const blocked = decideCreateGroup(
      snapshot({ group: null, members: new Map(), existingUserIds: new Set(['alice', 'bob']), blockedWithActor: new Set(['bob']) }),
      { id: 'g-new', ownerId: 'alice', name: 'New', avatar: null, description: '', memberIds: ['bob'] },
      now,
    );
    expect(outcome(blocked)).toBe('recipient_unavailable');
  });
});
