/**
 * Group commands. Each change is also recorded as a system event in the group's
 * timeline (see `SystemEvent`), which every member receives as `message:new`.
 */
import { z } from 'zod';
import { limits } from '../limits.js';
import { GroupConversation, JoinRequest, Member } from './conversations.js';
import {
  GroupAnnouncement,
  GroupDescription,
  GroupName,
  HttpUrl,
  Id,
  JoinPolicy,
  Seq,
  User,
} from './primitives.js';

const MemberIds = z.array(Id).max(limits.membersPerCallMax);

export const CreateGroupPayload = z.strictObject({
  name: GroupName,
  avatar: HttpUrl.nullable().optional(),
  description: GroupDescription.optional(),
  /** The first members besides the creator, who becomes the owner. */
  memberIds: MemberIds,
});

/** The result of every command that changes a group: the group as the caller now sees it. */
export const GroupResult = z.object({
  conversation: GroupConversation,
  /** Profiles of the people the change involved. */
  users: z.array(User),
});

const groupSettings = {
  name: GroupName.optional(),
  avatar: HttpUrl.nullable().optional(),
  description: GroupDescription.optional(),
  announcement: GroupAnnouncement.optional(),
};

type GroupSettingsInput = { [K in keyof typeof groupSettings]?: z.input<(typeof groupSettings)[K]> };

const changesSomething = [
  ({ name, avatar, description, announcement }: GroupSettingsInput) =>
    [name, avatar, description, announcement].some((value) => value !== undefined),
  { message: 'give at least one of name, avatar, description, announcement' },
] as const;

export const UpdateGroupPayload = z
  .strictObject({ conversationId: Id, ...groupSettings })
  .refine(...changesSomething);

/** `group:update` without its conversation: what the admin API takes for a group it names in the path. */
export const GroupSettingsPayload = z.strictObject(groupSettings).refine(...changesSomething);

export const AddMembersPayload = z.strictObject({
  conversationId: Id,
  userIds: MemberIds.min(1),
});

export const MemberPayload = z.strictObject({
  conversationId: Id,
  userId: Id,
});

export const SetRolePayload = z.strictObject({
  conversationId: Id,
  userId: Id,
  role: z.enum(['admin', 'member']),
});

export const MuteMemberPayload = z.strictObject({
  conversationId: Id,
  userId: Id,
  muted: z.boolean(),
});

export const MuteAllPayload = z.strictObject({
  conversationId: Id,
  muted: z.boolean(),
});

export const SetJoinPolicyPayload = z.strictObject({
  conversationId: Id,
  joinPolicy: JoinPolicy,
});

export const GroupPayload = z.strictObject({
  conversationId: Id,
});

export const MembersPayload = z.strictObject({
  conversationId: Id,
  /** From the previous page; omit for the first. */
  cursor: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(limits.membersPageMax).default(limits.membersPageDefault),
});
export const MembersResult = z.object({
  /** The owner first, then admins, then members, each by name. */
  members: z.array(Member),
  users: z.array(User),
  /** For the next page; null after the last. */
  cursor: z.string().nullable(),
});

export const JoinRequestsResult = z.object({
  /** Pending requests, oldest first. */
  requests: z.array(JoinRequest),
  users: z.array(User),
});

export const DecideRequestPayload = z.strictObject({
  conversationId: Id,
  userId: Id,
  approve: z.boolean(),
});

/** "Got it": the caller confirms the announcement that the `group.updated` event at `announcementSeq` set. */
export const ConfirmAnnouncementPayload = z.strictObject({
  conversationId: Id,
  announcementSeq: Seq.min(1),
});

/** Who confirmed the current announcement, for the group's owner and admins. */
export const AnnouncementConfirmationsResult = z.object({
  /** The announcement these counts are about (0: the group has none). */
  announcementSeq: Seq,
  /** Active members who confirmed it, and those who have not yet. */
  confirmedCount: z.number().int().nonnegative(),
  pendingCount: z.number().int().nonnegative(),
  /** Some of each, by id: at most `limits.announcementListMax`. */
  confirmed: z.array(Id).max(limits.announcementListMax),
  pending: z.array(Id).max(limits.announcementListMax),
  /** The profiles of those listed. */
  users: z.array(User),
});

/** To a group's owner and admins: a member confirmed the announcement. */
export const AnnouncementConfirmedEvent = z.object({
  conversationId: Id,
  announcementSeq: Seq.min(1),
  userId: Id,
  /** Active members who have confirmed it now, and the active members in all. */
  confirmedCount: z.number().int().nonnegative(),
  memberCount: z.number().int().nonnegative(),
});

export type CreateGroupPayload = z.input<typeof CreateGroupPayload>;
export type GroupResult = z.infer<typeof GroupResult>;
export type UpdateGroupPayload = z.input<typeof UpdateGroupPayload>;
export type GroupSettingsPayload = z.input<typeof GroupSettingsPayload>;
export type AddMembersPayload = z.input<typeof AddMembersPayload>;
export type MemberPayload = z.input<typeof MemberPayload>;
export type SetRolePayload = z.input<typeof SetRolePayload>;
export type MuteMemberPayload = z.input<typeof MuteMemberPayload>;
export type MuteAllPayload = z.input<typeof MuteAllPayload>;
export type SetJoinPolicyPayload = z.input<typeof SetJoinPolicyPayload>;
export type GroupPayload = z.input<typeof GroupPayload>;
export type MembersPayload = z.input<typeof MembersPayload>;
export type MembersResult = z.infer<typeof MembersResult>;
export type JoinRequestsResult = z.infer<typeof JoinRequestsResult>;
export type DecideRequestPayload = z.input<typeof DecideRequestPayload>;
export type ConfirmAnnouncementPayload = z.input<typeof ConfirmAnnouncementPayload>;
export type AnnouncementConfirmationsResult = z.infer<typeof AnnouncementConfirmationsResult>;
export type AnnouncementConfirmedEvent = z.infer<typeof AnnouncementConfirmedEvent>;
