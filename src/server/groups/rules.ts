/**
 * Who may do what in a group, as pure functions over the rows a storage has just read
 * inside its transaction. Every storage implementation calls these, so the rules live in
 * one place and are enforced atomically with the change they guard.
 */
import { limits } from '../../protocol/limits.js';
import type { ConversationType, GroupRole, JoinPolicy } from '../../protocol/index.js';
import { CommandError } from '../errors.js';

export type MembershipState = 'active' | 'left' | 'removed';

export interface MemberStanding {
  role: GroupRole;
  state: MembershipState;
}

export interface GroupStanding {
  type: ConversationType;
  dismissed: boolean;
}

const rank: Record<GroupRole, number> = { owner: 2, admin: 1, member: 0 };

export function isManager(role: GroupRole): boolean {
  return role === 'owner' || role === 'admin';
}

/**
 * The actor is an active member of a group that still runs. A non-member learns nothing
 * (`not_found`, as for a group that does not exist); a member of a dismissed group gets
 * `group_dismissed`.
 */
export function requireLiveMember<M extends MemberStanding>(
  group: GroupStanding | null | undefined,
  actor: M | null | undefined,
): M {
  if (!group || group.type !== 'group' || !actor || actor.state !== 'active') {
    throw new CommandError('not_found', 'no such group');
  }
  if (group.dismissed) throw new CommandError('group_dismissed', 'the group was dismissed');
  return actor;
}

/** The owner or an admin. */
export function requireManager(actor: MemberStanding): void {
  if (!isManager(actor.role)) {
    throw new CommandError('forbidden', 'only the owner and admins may do this');
  }
}

export function requireOwner(actor: MemberStanding): void {
  if (actor.role !== 'owner') throw new CommandError('forbidden', 'only the owner may do this');
}

/** The target of a member command must be an active member. */
export function requireTarget<M extends MemberStanding>(target: M | null | undefined): M {
  if (!target || target.state !== 'active') {
    throw new CommandError('not_found', 'this user is not a member of the group');
  }
  return target;
}

/** Removing or muting someone takes a higher rank: owner > admin > member. */
export function requireOutranks(actor: MemberStanding, target: MemberStanding): void {
  if (rank[actor.role] <= rank[target.role]) {
    throw new CommandError('forbidden', 'only someone of a higher role may do this to this member');
  }
}

export function requireRoom(memberCount: number, joining: number): void {
  if (memberCount + joining > limits.groupMembersMax) {
    throw new CommandError(
      'group_full',
      `a group has at most ${limits.groupMembersMax} members`,
    );
  }
}

export function requireCanLeave(actor: MemberStanding): void {
  if (actor.role === 'owner') {
    throw new CommandError(
      'owner_must_transfer',
      'the owner cannot leave: transfer ownership first, or dismiss the group',
    );
  }
}

/** What an invite code and the group it leads to look like to one user. */
export interface InviteStanding {
  revokedAt: number | null;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  dismissed: boolean;
  joinPolicy: JoinPolicy;
  /** The user's membership; `none` if they never were a member. */
  membership: MembershipState | 'none';
  /** The user has a pending join request. */
  requested: boolean;
}

/**
 * - `member`: already an active member;
 * - `requested`: a request already waits for approval;
 * - `join`: may join now (open policy);
 * - `request`: may file a request (approval policy).
 */
export type InviteVerdict = 'member' | 'requested' | 'join' | 'request';

/**
 * Judges a code, checks in this order: unknown or revoked, group dismissed, caller removed;
 * an active member (or a pending requester while the group wants approval) is answered so
 * whatever the link's state; then expired, used up, closed.
 */
export function judgeInvite(standing: InviteStanding, now: number): InviteVerdict {
  if (standing.revokedAt !== null) throw invalidInvite();
  if (standing.dismissed) throw new CommandError('group_dismissed', 'the group was dismissed');
  if (standing.membership === 'removed') {
    throw new CommandError('removed_from_group', 'you were removed from this group');
  }
  if (standing.membership === 'active') return 'member';
  if (standing.requested && standing.joinPolicy === 'approval') return 'requested';
  if (standing.expiresAt !== null && now >= standing.expiresAt) {
    throw new CommandError('invite_expired', 'this invite link has expired');
  }
  if (standing.maxUses !== null && standing.uses >= standing.maxUses) {
    throw new CommandError('invite_used_up', 'this invite link has been used up');
  }
  if (standing.joinPolicy === 'closed') {
    throw new CommandError('join_closed', 'this group does not take new members by link');
  }
  return standing.joinPolicy === 'open' ? 'join' : 'request';
}

/** Unknown and revoked codes get the same answer. */
export function invalidInvite(): CommandError {
  return new CommandError('invite_invalid', 'this invite link is not valid');
}
