/**
 * Group changes, decided once for every storage: who may make each one, what it changes,
 * which system events it records and in what order. A change that would change nothing
 * (same name, already muted...) is allowed with no writes, so it records no event.
 */
import type { GroupRole, JoinPolicy } from '../../protocol/index.js';
import type { Decision } from '../decision.js';
import { ChangeDraft } from './change-draft.js';
import {
  isManager,
  type CreateGroupInput,
  type DecidedChange,
  type GroupSettingsChanges,
  type GroupSnapshot,
  type GroupState,
  type GroupWrite,
  type MemberState,
} from './model.js';
import {
  bannedUser,
  blockedUser,
  isActive,
  liveActor,
  managersOnly,
  missingUser,
  noRoom,
  notAMember,
  outranked,
  outranks,
  ownerOnly,
  refusal,
  type Refusal,
} from './refusals.js';

export type GroupDecision = Decision<GroupWrite, DecidedChange>;

/** The group with its owner and first members: `group.created`, then `members.added`. */
export function decideCreateGroup(snapshot: GroupSnapshot, input: Omit<CreateGroupInput, 'now'>, now: number): GroupDecision {
  const memberIds = [...new Set(input.memberIds)].filter((id) => id !== input.ownerId);
  const refused =
    noRoom(0, 1 + memberIds.length) ??
    missingUser(snapshot, [input.ownerId, ...memberIds]) ??
    blockedUser(snapshot, memberIds);
  if (refused) return refused;
  const group: GroupState = {
    id: input.id,
    type: 'group',
    name: input.name,
    avatar: input.avatar,
    description: input.description,
    announcement: input.announcement ?? '',
    joinPolicy: input.joinPolicy ?? 'open',
    mutedAll: false,
    dismissedAt: null,
    memberCount: 1 + memberIds.length,
  };
  const draft = new ChangeDraft(group)
    .write({ kind: 'createGroup', group, createdBy: input.ownerId, createdAt: now })
    .record(input.ownerId, { kind: 'group.created', name: input.name });
  if (memberIds.length > 0) draft.record(input.ownerId, { kind: 'members.added', userIds: memberIds });
  draft.activate([input.ownerId], 'owner');
  if (memberIds.length > 0) draft.activate(memberIds, 'member');
  // Created with an announcement (the admin API, the demo): its version is the creation's last event.
  if (group.announcement !== '') draft.write({ kind: 'markAnnouncement', authorId: input.ownerId });
  return draft.allow();
}

/** Owner or admin; `group.updated` with the fields that really change. */
export function decideUpdateGroup(
  snapshot: GroupSnapshot,
  command: { actorId: string; changes: GroupSettingsChanges },
): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const changed = changedSettings(live.group, command.changes);
  const draft = new ChangeDraft(live.group);
  if (Object.keys(changed).length === 0) return draft.allow();
  draft.record(command.actorId, { kind: 'group.updated', ...changed }).saveGroup(changed);
  // A new announcement is a new version to confirm; its author has read it.
  if (changed.announcement !== undefined) draft.write({ kind: 'markAnnouncement', authorId: command.actorId });
  return draft.allow();
}

/**
 * Owner or admin. Adds (or re-activates, after leaving or removal) the users who are not
 * active members, as members, with `members.added`; closes their join requests. A banned
 * user, or one with a block between them and the actor, refuses the whole call.
 */
export function decideAddMembers(snapshot: GroupSnapshot, command: { actorId: string; userIds: readonly string[] }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const ids = [...new Set(command.userIds)];
  const missing = missingUser(snapshot, ids);
  if (missing) return missing;
  const joining = ids.filter((id) => !isActive(snapshot.members.get(id)));
  const draft = new ChangeDraft(live.group);
  if (joining.length === 0) return draft.allow();
  const barred = bannedUser(snapshot, joining) ?? blockedUser(snapshot, joining);
  if (barred) return barred;
  const full = noRoom(live.group.memberCount, joining.length);
  if (full) return full;
  return draft
    .record(command.actorId, { kind: 'members.added', userIds: joining })
    .activate(joining, 'member')
    .write({ kind: 'closeJoinRequests', userIds: joining })
    .saveGroup({ memberCount: live.group.memberCount + joining.length })
    .allow();
}

/** Someone of higher rank than the target: `member.removed`. */
export function decideRemoveMember(snapshot: GroupSnapshot, command: { actorId: string; userId: string }): GroupDecision {
  const outranking = outrankingActor(snapshot, command);
  if (!outranking.ok) return outranking;
  const { group, target } = outranking;
  return new ChangeDraft(group)
    .record(command.actorId, { kind: 'member.removed', userId: command.userId })
    .saveMember({ ...target, state: 'removed' })
    .saveGroup({ memberCount: group.memberCount - 1 })
    .allow();
}

/**
 * Owner or admin. An active member they outrank is removed with `member.removed` (banned:
 * true); anyone else who exists (a former member, someone never in) is banned with no
 * event. Their pending join request closes. Banning a banned user changes nothing.
 */
export function decideBanMember(
  snapshot: GroupSnapshot,
  command: { actorId: string; userId: string },
  now: number,
): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const { group } = live;
  const target = snapshot.members.get(command.userId);
  const draft = new ChangeDraft(group);
  if (isActive(target)) {
    if (!outranks(live.actor, target)) return outranked();
    draft
      .record(command.actorId, { kind: 'member.removed', userId: command.userId, banned: true })
      .saveMember({ ...target, state: 'removed' })
      .saveGroup({ memberCount: group.memberCount - 1 });
  } else if (snapshot.bannedIds.has(command.userId)) {
    return draft.allow();
  } else {
    const missing = missingUser(snapshot, [command.userId]);
    if (missing) return missing;
  }
  return draft
    .write({ kind: 'ban', userId: command.userId, bannedBy: command.actorId, at: now })
    .write({ kind: 'closeJoinRequests', userIds: [command.userId] })
    .allow();
}

/** Owner or admin; lifting a ban that is not there changes nothing. The user is not added back. */
export function decideLiftBan(snapshot: GroupSnapshot, command: { actorId: string; userId: string }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const draft = new ChangeDraft(live.group);
  if (!snapshot.bannedIds.has(command.userId)) return draft.allow();
  return draft.write({ kind: 'liftBan', userId: command.userId }).allow();
}

/** Owner only, on anyone but the owner: `member.role`. */
export function decideSetMemberRole(
  snapshot: GroupSnapshot,
  command: { actorId: string; userId: string; role: Exclude<GroupRole, 'owner'> },
): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (live.actor.role !== 'owner') return ownerOnly();
  const target = snapshot.members.get(command.userId);
  if (!isActive(target)) return notAMember();
  if (target.role === 'owner') return refusal('forbidden', "the owner's role changes only by transferring ownership");
  const draft = new ChangeDraft(live.group);
  if (target.role === command.role) return draft.allow();
  return draft
    .record(command.actorId, { kind: 'member.role', userId: command.userId, role: command.role })
    .saveMember({ ...target, role: command.role })
    .allow();
}

/** Owner only. The target becomes owner (and unmuted), the owner an admin: `owner.changed`. */
export function decideTransferOwnership(snapshot: GroupSnapshot, command: { actorId: string; userId: string }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  const { actor } = live;
  if (actor.role !== 'owner') return ownerOnly();
  const target = snapshot.members.get(command.userId);
  if (!isActive(target)) return notAMember();
  const draft = new ChangeDraft(live.group);
  if (target.userId === actor.userId) return draft.allow();
  return (
    draft
      .record(command.actorId, { kind: 'owner.changed', userId: command.userId })
      // Nobody outranks an owner, so nobody could lift a mute left on one.
      .saveMember({ ...target, role: 'owner', muted: false })
      .saveMember({ ...actor, role: 'admin' })
      .allow()
  );
}

/** Someone of higher rank than the target: `member.muted`. */
export function decideMuteMember(
  snapshot: GroupSnapshot,
  command: { actorId: string; userId: string; muted: boolean },
): GroupDecision {
  const outranking = outrankingActor(snapshot, command);
  if (!outranking.ok) return outranking;
  const { group, target } = outranking;
  const draft = new ChangeDraft(group);
  if (target.muted === command.muted) return draft.allow();
  return draft
    .record(command.actorId, { kind: 'member.muted', userId: command.userId, muted: command.muted })
    .saveMember({ ...target, muted: command.muted })
    .allow();
}

/** Owner or admin: `group.muted`. */
export function decideMuteAll(snapshot: GroupSnapshot, command: { actorId: string; muted: boolean }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const draft = new ChangeDraft(live.group);
  if (live.group.mutedAll === command.muted) return draft.allow();
  return draft
    .record(command.actorId, { kind: 'group.muted', muted: command.muted })
    .saveGroup({ mutedAll: command.muted })
    .allow();
}

/** Owner or admin: `group.join-policy`. */
export function decideSetJoinPolicy(snapshot: GroupSnapshot, command: { actorId: string; joinPolicy: JoinPolicy }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const draft = new ChangeDraft(live.group);
  if (live.group.joinPolicy === command.joinPolicy) return draft.allow();
  return draft
    .record(command.actorId, { kind: 'group.join-policy', joinPolicy: command.joinPolicy })
    .saveGroup({ joinPolicy: command.joinPolicy })
    .allow();
}

/** Any member but the owner (`owner_must_transfer`): `member.left`. */
export function decideLeaveGroup(snapshot: GroupSnapshot, command: { actorId: string }): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  const { group, actor } = live;
  if (actor.role === 'owner') {
    return refusal('owner_must_transfer', 'the owner cannot leave: transfer ownership first, or dismiss the group');
  }
  return new ChangeDraft(group)
    .record(command.actorId, { kind: 'member.left', userId: command.actorId })
    .saveMember({ ...actor, state: 'left' })
    .saveGroup({ memberCount: group.memberCount - 1 })
    .allow();
}

/** Owner only: `group.dismissed`; the timeline and the links close for good. */
export function decideDismissGroup(snapshot: GroupSnapshot, command: { actorId: string }, now: number): GroupDecision {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (live.actor.role !== 'owner') return ownerOnly();
  return new ChangeDraft(live.group)
    .record(command.actorId, { kind: 'group.dismissed' })
    .saveGroup({ dismissedAt: now })
    .write({ kind: 'closeJoinRequests', userIds: 'all' })
    .allow();
}

/** The fields of `changes` that differ from the group as it is. */
export function changedSettings(group: GroupState, changes: GroupSettingsChanges): GroupSettingsChanges {
  const changed: GroupSettingsChanges = {};
  if (changes.name !== undefined && changes.name !== group.name) changed.name = changes.name;
  if (changes.avatar !== undefined && changes.avatar !== group.avatar) changed.avatar = changes.avatar;
  if (changes.description !== undefined && changes.description !== group.description) {
    changed.description = changes.description;
  }
  if (changes.announcement !== undefined && changes.announcement !== group.announcement) {
    changed.announcement = changes.announcement;
  }
  return changed;
}

/** An owner or admin acting on an active member they outrank. */
function outrankingActor(
  snapshot: GroupSnapshot,
  command: { actorId: string; userId: string },
): { ok: true; group: GroupState; target: MemberState } | Refusal {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  // Only the owner and admins outrank anyone: a member is refused before the target matters.
  if (!isManager(live.actor.role)) return managersOnly();
  const target = snapshot.members.get(command.userId);
  if (!isActive(target)) return notAMember();
  if (!outranks(live.actor, target)) return outranked();
  return { ok: true, group: live.group, target };
}
