/**
 * Who may do what in a group, and the refusals of those who may not: the checks
 * decisions.ts and invite-decisions.ts are made of.
 */
import type { ConversationType, ErrorCode, GroupRole } from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import { refuseBlocked } from '../accounts/block-decisions.js';
import { CommandError } from '../errors.js';
import { isManager, type GroupSnapshot, type GroupState, type MemberState } from './model.js';

/** A refused decision; it fits any Decision. */
export interface Refusal {
  ok: false;
  error: CommandError;
}

export function refusal(code: ErrorCode, message: string): Refusal {
  return { ok: false, error: new CommandError(code, message) };
}

const rank: Record<GroupRole, number> = { owner: 2, admin: 1, member: 0 };

/**
 * The actor as an active member of a group that still runs. A non-member learns nothing
 * (`not_found`, as for a group that does not exist); a member of a dismissed group gets
 * `group_dismissed`.
 */
export function liveActor(
  snapshot: GroupSnapshot,
  actorId: string,
): { ok: true; group: GroupState; actor: MemberState } | Refusal {
  const { group } = snapshot;
  const actor = snapshot.members.get(actorId);
  if (!group || group.type !== 'group' || actor?.state !== 'active') return refusal('not_found', 'no such group');
  if (group.dismissedAt !== null) return refusal('group_dismissed', 'the group was dismissed');
  return { ok: true, group, actor };
}

/**
 * What only the owner and admins of a live group may read (its links, its join requests),
 * judged from the membership cache: the reader is known to be an active member.
 */
export function managerReadRefusal(group: { type: ConversationType; dismissed: boolean }, reader: { role: GroupRole }): Refusal | null {
  if (group.type !== 'group') return refusal('not_found', 'no such group');
  if (group.dismissed) return refusal('group_dismissed', 'the group was dismissed');
  return isManager(reader.role) ? null : managersOnly();
}

export function managersOnly(): Refusal {
  return refusal('forbidden', 'only the owner and admins may do this');
}

export function ownerOnly(): Refusal {
  return refusal('forbidden', 'only the owner may do this');
}

/** The target of a member command must be an active member. */
export function isActive(member: MemberState | undefined): member is MemberState {
  return member?.state === 'active';
}

export function notAMember(): Refusal {
  return refusal('not_found', 'this user is not a member of the group');
}

/** Removing or muting someone takes a higher rank: owner > admin > member. */
export function outranks(actor: MemberState, target: MemberState): boolean {
  return rank[actor.role] > rank[target.role];
}

export function outranked(): Refusal {
  return refusal('forbidden', 'only someone of a higher role may do this to this member');
}

/** The refusal when `joining` more would pass the group size limit. */
export function noRoom(memberCount: number, joining: number): Refusal | null {
  if (memberCount + joining <= limits.groupMembersMax) return null;
  return refusal('group_full', `a group has at most ${limits.groupMembersMax} members`);
}

/** The refusal naming the first of `userIds` that does not exist. */
export function missingUser(snapshot: GroupSnapshot, userIds: readonly string[]): Refusal | null {
  const missing = userIds.find((id) => !snapshot.existingUserIds.has(id));
  return missing === undefined ? null : refusal('not_found', `no user with id "${missing}"`);
}

/** The refusal naming the first of `userIds` that is banned from the group. */
export function bannedUser(snapshot: GroupSnapshot, userIds: readonly string[]): Refusal | null {
  const banned = userIds.find((id) => snapshot.bannedIds.has(id));
  return banned === undefined ? null : refusal('banned_from_group', `"${banned}" is banned from this group: lift the ban first`);
}

/** A block between the actor and one of `userIds`, either way: the same neutral refusal as a single chat's. */
export function blockedUser(snapshot: GroupSnapshot, userIds: readonly string[]): Refusal | null {
  const error = refuseBlocked(userIds, snapshot.blockedWithActor);
  return error ? { ok: false, error } : null;
}
