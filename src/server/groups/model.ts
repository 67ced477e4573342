/**
 * Groups as their rules see them: a group, its members' standing, its invite links, and
 * what a change did. Storage loads a `GroupSnapshot` for the decisions (decisions.ts,
 * invite-decisions.ts) and applies the `GroupWrite`s they decide.
 */
import type {
  ConversationType,
  GroupPreview,
  GroupRole,
  JoinPolicy,
  JoinRequest,
  Message,
  SystemEvent,
} from '../../protocol/index.js';

export type MembershipState = 'active' | 'left' | 'removed';

/** The group's own columns (a conversation of another type has no name and no members' roles). */
export interface GroupState {
  id: string;
  type: ConversationType;
  name: string | null;
  avatar: string | null;
  description: string;
  announcement: string;
  joinPolicy: JoinPolicy;
  mutedAll: boolean;
  dismissedAt: number | null;
  memberCount: number;
}

/** One user's membership, current or former. */
export interface MemberState {
  userId: string;
  role: GroupRole;
  muted: boolean;
  state: MembershipState;
}

export interface InviteState {
  code: string;
  conversationId: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  revokedAt: number | null;
}

/** A member whose own state changed, as they are after the change. */
export type MemberChange = MemberState;

/** What a group change did; enough to update the membership cache and the rooms. */
export interface GroupChange {
  conversationId: string;
  /** The system events recorded, in seq order; empty when nothing changed. */
  events: Message[];
  members: MemberChange[];
  /** The group after the change. */
  group: { mutedAll: boolean; dismissed: boolean; memberCount: number };
}

/** A group change as decided: its events get their seqs only when storage records them. */
export type DecidedChange = Omit<GroupChange, 'events'>;

export interface CreateGroupInput {
  id: string;
  ownerId: string;
  name: string;
  avatar: string | null;
  description: string;
  announcement?: string;
  /** Default `open`: a link works at once, and only the owner and admins make links. */
  joinPolicy?: JoinPolicy;
  /** Besides the owner; duplicates and the owner are ignored. */
  memberIds: readonly string[];
  now: number;
}

/** Who changes which group, and when. */
export interface GroupActor {
  conversationId: string;
  actorId: string;
  now: number;
}

export interface GroupSettingsChanges {
  name?: string;
  avatar?: string | null;
  description?: string;
  announcement?: string;
}

export interface NewInvite {
  code: string;
  expiresAt: number | null;
  maxUses: number | null;
}

/** How a user stands towards the group an invite link leads to. */
export type InviteMembership = 'none' | 'active' | 'requested';

export type InviteJoin =
  /** `change` is null when the user already was an active member (no use is counted). */
  | { status: 'joined'; conversationId: string; change: GroupChange | null }
  /** `request` is null when one was already pending (no use is counted). */
  | { status: 'requested'; group: GroupPreview; request: JoinRequest | null };

export interface JoinDecision {
  /** The requester's `member.joined` on approval; null on rejection. */
  change: GroupChange | null;
  group: GroupPreview;
}

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
  /** Which of the users the command names are banned from the group. */
  bannedIds: ReadonlySet<string>;
  /** Which of the users the command adds have a block with the actor, either way (see block-decisions.ts). */
  blockedWithActor: ReadonlySet<string>;
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
  /** The last recorded event set the announcement: it is the version to confirm, confirmed by its author. */
  | { kind: 'markAnnouncement'; authorId: string }
  | { kind: 'closeJoinRequests'; userIds: string[] | 'all' }
  | { kind: 'createInvite'; invite: InviteState }
  | { kind: 'revokeInvite'; code: string; at: number }
  | { kind: 'useInvite'; code: string }
  | { kind: 'fileJoinRequest'; request: JoinRequest; inviteCode: string }
  | { kind: 'ban'; userId: string; bannedBy: string; at: number }
  | { kind: 'liftBan'; userId: string };

export function isManager(role: GroupRole): boolean {
  return role === 'owner' || role === 'admin';
}

export function toPreview(group: GroupState): GroupPreview {
  return {
    id: group.id,
    name: group.name!,
    avatar: group.avatar,
    description: group.description,
    memberCount: group.memberCount,
    joinPolicy: group.joinPolicy,
  };
}
