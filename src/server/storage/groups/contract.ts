/**
 * The groups area of storage: groups, their members, invite links and join requests.
 * Each write loads what its decision (groups/decisions.ts, groups/invite-decisions.ts)
 * needs and applies what it decides in ONE transaction: its system events with the next
 * seqs, the conversation's change version and the versions of the members whose own
 * state changed. A refused command changes nothing and rejects with the decision's
 * CommandError: `not_found` (no such group, the actor is not an active member, a target
 * is not a member, a user does not exist), `group_dismissed`, `forbidden` (role),
 * `group_full`, `owner_must_transfer`, `banned_from_group`, `recipient_unavailable` (a
 * block between the actor and someone added), and for links the codes of `judgeInvite`.
 */
import type { ConversationType, GroupBan, GroupRole, Invite, JoinPolicy, JoinRequest, Member, User } from '../../../protocol/index.js';
import type { InvitePreview } from '../../groups/invite-decisions.js';
import type {
  CreateGroupInput,
  GroupActor,
  GroupChange,
  GroupSettingsChanges,
  InviteJoin,
  JoinDecision,
  MembershipState,
  NewInvite,
} from '../../groups/model.js';
import type { StorageArea } from '../area.js';

/** Who may post in a conversation: what the in-memory membership cache holds. */
export interface ConversationAccess {
  type: ConversationType;
  dismissed: boolean;
  mutedAll: boolean;
  /** A single chat whose two members have a block between them, either way; false for groups. */
  blocked: boolean;
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

export interface MemberPage {
  /** Owner, admins, members; each by name (case-insensitive), then id. */
  members: Member[];
  users: User[];
  /** Opaque; null after the last page. */
  cursor: string | null;
}

/** A group's current announcement and where each active member stands with it. */
export interface AnnouncementStanding {
  announcement: string;
  announcementSeq: number;
  /** Active members, by id: the seq of the announcement each confirmed last (0: none). */
  members: { userId: string; confirmedSeq: number }[];
}

/** What a confirmation did, once committed. */
export interface AnnouncementConfirmation {
  /** False when the member had confirmed it already. */
  confirmed: boolean;
  announcementSeq: number;
  /** The text of the announcement confirmed. */
  announcement: string;
  /** Active members who have confirmed it now, and the active members in all. */
  confirmedCount: number;
  memberCount: number;
}

export interface GroupReads {
  /** For the membership cache; null if the conversation does not exist. */
  getConversationAccess(conversationId: string): Promise<ConversationAccess | null>;
  /** Null if the user never belonged to the conversation. */
  getMembership(conversationId: string, userId: string): Promise<Membership | null>;
  /**
   * A page of the active members. A cursor that this storage did not make is rejected
   * with `invalid_payload`. The caller has checked that the reader is a member.
   */
  listMembers(conversationId: string, page: { cursor: string | null; limit: number }): Promise<MemberPage>;
  /** The usable links (not revoked, expired or used up), newest first. */
  listInvites(conversationId: string, now: number): Promise<Invite[]>;
  /** What the link shows to `userId`; fails like `joinWithInvite` would. */
  previewInvite(code: string, userId: string, now: number): Promise<InvitePreview>;
  /** Pending requests, oldest first. The caller has checked the reader's role. */
  listJoinRequests(conversationId: string): Promise<JoinRequest[]>;
  /** Null if there is no such conversation. The caller has checked the reader's role. */
  announcementStanding(conversationId: string): Promise<AnnouncementStanding | null>;
  /** The group's bans, newest first (then by user id). The caller has checked the reader's role. */
  listBans(conversationId: string): Promise<GroupBan[]>;
}

/** Each resolves with what the change did once it has committed; see decisions.ts for the rules. */
export interface GroupWrites {
  createGroup(input: CreateGroupInput): Promise<GroupChange>;
  updateGroup(input: GroupActor & { changes: GroupSettingsChanges }): Promise<GroupChange>;
  addMembers(input: GroupActor & { userIds: readonly string[] }): Promise<GroupChange>;
  removeMember(input: GroupActor & { userId: string }): Promise<GroupChange>;
  setMemberRole(input: GroupActor & { userId: string; role: 'admin' | 'member' }): Promise<GroupChange>;
  transferOwnership(input: GroupActor & { userId: string }): Promise<GroupChange>;
  muteMember(input: GroupActor & { userId: string; muted: boolean }): Promise<GroupChange>;
  muteAll(input: GroupActor & { muted: boolean }): Promise<GroupChange>;
  setJoinPolicy(input: GroupActor & { joinPolicy: JoinPolicy }): Promise<GroupChange>;
  leaveGroup(input: GroupActor): Promise<GroupChange>;
  dismissGroup(input: GroupActor): Promise<GroupChange>;
  /** Removes the user if they are a member, and bans them; `not_found` for an unknown user. */
  banMember(input: GroupActor & { userId: string }): Promise<GroupChange>;
  /** Idempotent; records no event. */
  liftBan(input: GroupActor & { userId: string }): Promise<GroupChange>;

  /** The caller makes the code. */
  createInvite(input: GroupActor & NewInvite): Promise<Invite>;
  /** Idempotent; `invite_invalid` for a code of no link of this group. */
  revokeInvite(input: GroupActor & { code: string }): Promise<Invite>;
  joinWithInvite(input: { code: string; userId: string; now: number }): Promise<InviteJoin>;
  decideJoinRequest(input: GroupActor & { userId: string; approve: boolean }): Promise<JoinDecision>;
  /**
   * The member's "Got it" for the announcement at `announcementSeq` (see
   * groups/announcements.ts); the conversation is part of their next sync.
   */
  confirmAnnouncement(input: { conversationId: string; userId: string; announcementSeq: number }): Promise<AnnouncementConfirmation>;
}

export type GroupStorage = StorageArea<GroupReads, GroupWrites>;
