/** Who may do what in the group panel; the server enforces the same rules (protocol README). */
import type { GroupConversation, GroupRole } from '../../protocol/index.js';

const rank: Record<GroupRole, number> = { owner: 2, admin: 1, member: 0 };

/** An active member of a group that still runs: the only one who may change anything. */
export function isLive(group: GroupConversation): boolean {
  return group.membership === 'active' && !group.dismissed;
}

/** Info, adding people, posting, join policy, invite links and requests: owner or admin. */
export function canManage(group: GroupConversation): boolean {
  return isLive(group) && (group.role === 'owner' || group.role === 'admin');
}

export function isOwner(group: GroupConversation): boolean {
  return isLive(group) && group.role === 'owner';
}

/** Removing or muting someone takes a higher rank: owner > admin > member. */
export function outranks(group: GroupConversation, target: GroupRole): boolean {
  return isLive(group) && group.role !== null && rank[group.role] > rank[target];
}

/** What the owner and admins do to a member within the group. */
export type GroupMemberAction = 'make-admin' | 'remove-admin' | 'make-owner' | 'mute' | 'unmute' | 'remove' | 'ban';
/** What anyone does to another person, whatever the group: blocking is between the two of them. */
export type PersonalAction = 'block' | 'unblock';
export type MemberAction = GroupMemberAction | PersonalAction;

/** What the user may do to one member, in menu order: the group's actions, then their own; none to themselves. */
export function memberActions(
  group: GroupConversation,
  member: { userId: string; role: GroupRole; muted: boolean },
  me: string | undefined,
  blocked: boolean,
): { group: GroupMemberAction[]; personal: PersonalAction[] } {
  if (member.userId === me) return { group: [], personal: [] };
  const actions: GroupMemberAction[] = [];
  if (outranks(group, member.role)) {
    if (group.role === 'owner') actions.push(member.role === 'admin' ? 'remove-admin' : 'make-admin', 'make-owner');
    actions.push(member.muted ? 'unmute' : 'mute', 'remove', 'ban');
  }
  return { group: actions, personal: [blocked ? 'unblock' : 'block'] };
}
