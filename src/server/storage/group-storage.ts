/**
 * The group part of the storage contract. Each change checks who may make it (with the
 * rules of `groups/rules.ts`, on the rows it reads), records its system event with the
 * next seq, bumps the conversation's change version and the versions of the members
 * whose own state changed, all in ONE transaction. A change that would change nothing
 * (same name, already muted...) records no event and returns `events: []`.
 *
 * Errors (CommandError codes): `not_found` (no such group, the actor is not an active
 * member, a target is not a member, a user does not exist), `group_dismissed`,
 * `forbidden` (role), `group_full`, `owner_must_transfer`.
 */
import type {
  ConversationType,
  GroupRole,
  JoinPolicy,
  Member,
  Message,
  User,
} from '../../protocol/index.js';
import type { MembershipState } from '../groups/rules.js';

export type { MembershipState };

/** A member whose own state changed, as they are after the change. */
export interface MemberChange {
  userId: string;
  role: GroupRole;
  muted: boolean;
  state: MembershipState;
}

/** What a group change did; enough to update the membership cache and the rooms. */
export interface GroupChange {
  conversationId: string;
  /** The system events recorded, in seq order; empty when nothing changed. */
  events: Message[];
  members: MemberChange[];
  /** The group after the change. */
  group: { mutedAll: boolean; dismissed: boolean; memberCount: number };
}

/** Who may post in a conversation: what the in-memory membership cache holds. */
export interface ConversationAccess {
  type: ConversationType;
  dismissed: boolean;
  mutedAll: boolean;
  /** Active members only. */
  members: { userId: string; role: GroupRole; muted: boolean }[];
}

/** One user's membership of one conversation, former ones included. */
export interface Membership {
  state: MembershipState;
  role: GroupRole;
  muted: boolean;
  /** The seq of the event that ended the membership; null while active. */
  leftSeq: number | null;
}

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

export interface MemberPage {
  /** Owner, admins, members; each by name (case-insensitive), then id. */
  members: Member[];
  users: User[];
  /** Opaque; null after the last page. */
  cursor: string | null;
}

export interface GroupStorage {
  /**
   * Creates the group with its owner and first members, recording `group.created` and,
   * with members, `members.added`. `not_found` if a user does not exist.
   */
  createGroup(input: CreateGroupInput): Promise<GroupChange>;
  /** Owner or admin. Records `group.updated` with the fields that really changed. */
  updateGroup(input: GroupActor & { changes: GroupSettingsChanges }): Promise<GroupChange>;
  /**
   * Owner or admin. Adds (or re-activates, after leaving or removal) the users who are not
   * active members, as members, recording `members.added`; closes their join requests.
   */
  addMembers(input: GroupActor & { userIds: readonly string[] }): Promise<GroupChange>;
  /** Someone of higher rank than the target. Records `member.removed`. */
  removeMember(input: GroupActor & { userId: string }): Promise<GroupChange>;
  /** Owner only; the target is not the owner. Records `member.role`. */
  setMemberRole(
    input: GroupActor & { userId: string; role: 'admin' | 'member' },
  ): Promise<GroupChange>;
  /** Owner only. The target becomes owner (and unmuted), the owner an admin: `owner.changed`. */
  transferOwnership(input: GroupActor & { userId: string }): Promise<GroupChange>;
  /** Someone of higher rank than the target. Records `member.muted`. */
  muteMember(input: GroupActor & { userId: string; muted: boolean }): Promise<GroupChange>;
  /** Owner or admin. Records `group.muted`. */
  muteAll(input: GroupActor & { muted: boolean }): Promise<GroupChange>;
  /** Owner or admin. Records `group.join-policy`. */
  setJoinPolicy(input: GroupActor & { joinPolicy: JoinPolicy }): Promise<GroupChange>;
  /** Any member but the owner (`owner_must_transfer`). Records `member.left`. */
  leaveGroup(input: GroupActor): Promise<GroupChange>;
  /** Owner only. Records `group.dismissed`; the timeline and the links close for good. */
  dismissGroup(input: GroupActor): Promise<GroupChange>;

  /** For the membership cache; null if the conversation does not exist. */
  getConversationAccess(conversationId: string): Promise<ConversationAccess | null>;
  /** Null if the user never belonged to the conversation. */
  getMembership(conversationId: string, userId: string): Promise<Membership | null>;
  /**
   * A page of the active members. A cursor that this storage did not make is rejected
   * with `invalid_payload`. The caller has checked that the reader is a member.
   */
  listMembers(
    conversationId: string,
    page: { cursor: string | null; limit: number },
  ): Promise<MemberPage>;
}
