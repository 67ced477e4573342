/**
 * Who may do what in a group, and the snapshot and writes every group decision shares:
 * the pieces decisions.ts and invite-decisions.ts are made of.
 */
import type { ConversationType, ErrorCode, GroupRole, JoinRequest, SystemEvent } from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import { allow, type Decision } from '../decision.js';
import { CommandError } from '../errors.js';
import { isManager, type DecidedChange, type GroupState, type InviteState, type MemberState } from './model.js';

/** What storage loads for a group command, inside the transaction that applies it. */
export interface GroupSnapshot {
  /** The group the command is about (by its id, or the invite link's); null if none. */
  group: GroupState | null;
  /** The memberships, current or former, of the users the command names; absent: never a member. */
  members: ReadonlyMap<string, MemberState>;
  /** Which of the users the command adds exist. */
  existingUserIds: ReadonlySet<string>;
  /** The invite link the command names, if it names one and it exists. */
  invite: InviteState | null;
  /** Which of the users the command names have a pending join request. */
  requesterIds: ReadonlySet<string>;
  /** How many of the group's links are usable now (for a command that makes one). */
  usableInvites: number;
}

/** One change to apply, in order, in the transaction the snapshot was loaded in. */
export type GroupWrite =
  | { kind: 'createGroup'; group: GroupState; createdBy: string; createdAt: number }
  /** The next seq of the conversation; writes after it that need a seq take this one. */
  | { kind: 'recordEvent'; senderId: string; event: SystemEvent }
  /** Active from the last recorded event on, which they have read (it let them in). */
  | { kind: 'activateMembers'; userIds: string[]; role: GroupRole }
  /** A membership that is not active ended with the last recorded event. */
  | { kind: 'saveMember'; member: MemberState }
  | { kind: 'saveGroup'; group: GroupState }
  | { kind: 'closeJoinRequests'; userIds: string[] | 'all' }
  | { kind: 'createInvite'; invite: InviteState }
  | { kind: 'revokeInvite'; code: string; at: number }
  | { kind: 'useInvite'; code: string }
  | { kind: 'fileJoinRequest'; request: JoinRequest; inviteCode: string };

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

/**
 * One change being decided: its writes in order, the members it changes and the group
 * as it leaves it.
 */
export class ChangeDraft {
  readonly writes: GroupWrite[] = [];
  readonly #members = new Map<string, MemberState>();

  constructor(private group: GroupState) {}

  write(write: GroupWrite): this {
    this.writes.push(write);
    return this;
  }

  record(senderId: string, event: SystemEvent): this {
    return this.write({ kind: 'recordEvent', senderId, event });
  }

  activate(userIds: string[], role: GroupRole): this {
    for (const userId of userIds) this.#members.set(userId, { userId, role, muted: false, state: 'active' });
    return this.write({ kind: 'activateMembers', userIds, role });
  }

  saveMember(member: MemberState): this {
    this.#members.set(member.userId, member);
    return this.write({ kind: 'saveMember', member });
  }

  saveGroup(changes: Partial<GroupState>): this {
    this.group = { ...this.group, ...changes };
    return this.write({ kind: 'saveGroup', group: this.group });
  }

  get current(): GroupState {
    return this.group;
  }

  /** What the change did, but for its events' seqs. */
  get change(): DecidedChange {
    const { id, mutedAll, dismissedAt, memberCount } = this.group;
    return {
      conversationId: id,
      members: [...this.#members.values()],
      group: { mutedAll, dismissed: dismissedAt !== null, memberCount },
    };
  }

  allow(): Decision<GroupWrite, DecidedChange> {
    return allow(this.writes, this.change);
  }
}
