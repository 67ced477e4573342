/** Invite links: creating and revoking them, and joining a group with one. */
import { z } from 'zod';
import { limits } from '../limits.js';
import { GroupConversation, GroupPreview, Invite } from './conversations.js';
import { Id, Timestamp, User } from './primitives.js';

/** Any string up to a generous length: an unknown code gets `invite_invalid`, not a schema error. */
export const InviteCode = z.string().min(1).max(128);

export const CreateInvitePayload = z.strictObject({
  conversationId: Id,
  /** After this moment (ms since epoch) the link no longer works; null or omitted: never. */
  expiresAt: Timestamp.nullable().optional(),
  /** How many joins it allows; null or omitted: unlimited. */
  maxUses: z.number().int().min(1).max(limits.inviteUsesMax).nullable().optional(),
});
export const InviteResult = z.object({ invite: Invite });

export const ListInvitesResult = z.object({
  /** The group's usable links (not revoked, expired or used up), newest first. */
  invites: z.array(Invite),
});

export const RevokeInvitePayload = z.strictObject({
  conversationId: Id,
  code: InviteCode,
});

export const InviteCodePayload = z.strictObject({
  code: InviteCode,
});

export const InvitePreviewResult = z.object({
  group: GroupPreview,
  /** `active`: already a member; `requested`: a join request waits for approval. */
  membership: z.enum(['none', 'active', 'requested']),
});

export const JoinResult = z.discriminatedUnion('status', [
  /** Now a member (or already was): open the conversation. */
  z.object({ status: z.literal('joined'), conversation: GroupConversation, users: z.array(User) }),
  /** The group needs approval: a request now waits (or already waited). */
  z.object({ status: z.literal('requested'), group: GroupPreview }),
]);

/** To the group's owner and admins: someone asked to join. */
export const JoinRequestedEvent = z.object({
  conversationId: Id,
  userId: Id,
  user: User,
  requestedAt: Timestamp,
});

/** To the requester (all their connections): the owner or an admin decided. */
export const JoinDecidedEvent = z.object({
  conversationId: Id,
  approved: z.boolean(),
  group: GroupPreview,
});

export type CreateInvitePayload = z.input<typeof CreateInvitePayload>;
export type InviteResult = z.infer<typeof InviteResult>;
export type ListInvitesResult = z.infer<typeof ListInvitesResult>;
export type RevokeInvitePayload = z.input<typeof RevokeInvitePayload>;
export type InviteCodePayload = z.input<typeof InviteCodePayload>;
export type InvitePreviewResult = z.infer<typeof InvitePreviewResult>;
export type JoinResult = z.infer<typeof JoinResult>;
export type JoinRequestedEvent = z.infer<typeof JoinRequestedEvent>;
export type JoinDecidedEvent = z.infer<typeof JoinDecidedEvent>;
