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

export type MemberAction = 'make-admin' | 'remove-admin' | 'make-owner' | 'mute' | 'unmute' | 'remove' | 'ban';

/** What the user may do to one member, in menu order; none to themselves. */
export function memberActions(
  group: GroupConversation,
  member: { userId: string; role: GroupRole; muted: boolean },
  me: string | undefined,
): MemberAction[] {
  if (member.userId === me || !outranks(group, member.role)) return [];
  const actions: MemberAction[] = [];
  if (group.role === 'owner') actions.push(member.role === 'admin' ? 'remove-admin' : 'make-admin', 'make-owner');
  actions.push(member.muted ? 'unmute' : 'mute', 'remove', 'ban');
  return actions;
}
