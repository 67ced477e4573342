/**
 * The groups area's rows as both backends read and write them, and their conversion to
 * what the decisions see; one set keeps SQLite and PostgreSQL alike to the letter.
 */
import type { JoinRequest } from '../../../protocol/index.js';
import type { GroupState, InviteState, MemberState } from '../../groups/model.js';
import type { GroupRow, MemberRow } from '../rows.js';
import type { ConversationAccess, Membership } from './contract.js';

export interface InviteRow {
  code: string;
  conversation_id: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
  max_uses: number | null;
  uses: number;
  revoked_at: number | null;
}

export interface JoinRequestRow {
  conversation_id: string;
  user_id: string;
  requested_at: number;
}

export const inviteColumns =
  'code, conversation_id, created_by, created_at, expires_at, max_uses, uses, revoked_at';

// Members list: owner, admins, members, then by name as people read it, then id.
export const memberRank = `CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;

export function toGroupState(row: GroupRow): GroupState {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    avatar: row.avatar,
    description: row.description,
    announcement: row.announcement,
    joinPolicy: row.join_policy,
    mutedAll: row.muted_all === 1,
    dismissedAt: row.dismissed_at,
    memberCount: row.member_count,
  };
}

export function toGroupRow(group: GroupState): GroupRow {
  return {
    id: group.id,
    type: group.type,
    name: group.name,
    avatar: group.avatar,
    description: group.description,
    announcement: group.announcement,
    join_policy: group.joinPolicy,
    muted_all: group.mutedAll ? 1 : 0,
    dismissed_at: group.dismissedAt,
    member_count: group.memberCount,
  };
}

export function toMemberState(row: MemberRow): MemberState {
  return { userId: row.user_id, role: row.role, muted: row.muted === 1, state: row.state };
}

/** A membership as saved: one that is not active ended with the event of `lastSeq`. */
export function toMemberRow(member: MemberState, lastSeq: number): MemberRow {
  return {
    user_id: member.userId,
    role: member.role,
    muted: member.muted ? 1 : 0,
    state: member.state,
    left_seq: member.state === 'active' ? null : lastSeq,
  };
}

export function toMembership(row: MemberRow): Membership {
  return { state: row.state, role: row.role, muted: row.muted === 1, leftSeq: row.left_seq };
}

/** What the membership cache holds of a conversation, from its row and its active members' rows. */
export function toAccess(
  group: Pick<GroupRow, 'type' | 'dismissed_at' | 'muted_all'> & { blocked: number },
  members: readonly Pick<MemberRow, 'user_id' | 'role' | 'muted'>[],
): ConversationAccess {
  return {
    type: group.type,
    dismissed: group.dismissed_at !== null,
    mutedAll: group.muted_all === 1,
    blocked: group.blocked === 1,
    members: members.map((row) => ({ userId: row.user_id, role: row.role, muted: row.muted === 1 })),
  };
}

export function toInviteState(row: InviteRow): InviteState {
  return {
    code: row.code,
    conversationId: row.conversation_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    maxUses: row.max_uses,
    uses: row.uses,
    revokedAt: row.revoked_at,
  };
}

export function toJoinRequest(row: JoinRequestRow): JoinRequest {
  return { conversationId: row.conversation_id, userId: row.user_id, requestedAt: row.requested_at };
}

