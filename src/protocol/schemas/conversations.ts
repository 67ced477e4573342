/** Conversations as one member sees them, and the group records around them. */
import { z } from 'zod';
import { Message } from './messages.js';
import {
  DisplayName,
  GroupAnnouncement,
  GroupDescription,
  GroupName,
  GroupRole,
  HttpUrl,
  Id,
  JoinPolicy,
  Seq,
  Timestamp,
} from './primitives.js';
import { SupportCase } from './support-case.js';

/** What every conversation summary has, whatever its type. */
const ConversationState = {
  id: Id,
  /** Seq of the newest event this member may see; 0 when the timeline is empty. */
  lastSeq: Seq,
  /** The newest seq this member has read. */
  readSeq: Seq,
  /** Messages (not system events) from others with seq > readSeq, counted when this summary was made. */
  unreadCount: z.number().int().nonnegative(),
  lastMessage: Message.nullable(),
  createdAt: Timestamp,
  /** Time of the newest activity; lists sort by it. */
  updatedAt: Timestamp,
  // This member's own settings, the same on all their devices (`conversation:settings`).
  /** Pinned to the top of the list, newest pin first; null when not pinned. */
  pinnedAt: Timestamp.nullable(),
  /** No notifications or sounds; the unread count still shows, greyed. */
  notificationsMuted: z.boolean(),
  /** Removed from the list until the next message arrives. */
  hidden: z.boolean(),
  /** Marked unread by the member; cleared when they next read it. */
  markedUnread: z.boolean(),
};

export const SingleConversation = z.object({
  ...ConversationState,
  type: z.literal('single'),
  /** The other person in the chat. */
  peerId: Id,
});

export const GroupConversation = z.object({
  ...ConversationState,
  type: z.literal('group'),
  name: GroupName,
  avatar: HttpUrl.nullable(),
  description: GroupDescription,
  /** Pinned at the top of the conversation; empty for none. */
  announcement: GroupAnnouncement,
  /**
   * The seq of the `group.updated` event that set the current announcement (its version:
   * a new announcement is a new seq); 0 if the group never had one.
   */
  announcementSeq: Seq,
  /** This user confirmed the current announcement ("Got it"); false while there is none. */
  announcementConfirmed: z.boolean(),
  memberCount: z.number().int().nonnegative(),
  /**
   * `active` while this user is a member. A member who `left` or was `removed` keeps the
   * summary (up to the event that ended their membership, which is `lastSeq`), nothing after it.
   */
  membership: z.enum(['active', 'left', 'removed']),
  /** This user's role, while a member. */
  role: GroupRole.nullable(),
  /** This user may not post. */
  muted: z.boolean(),
  /** Only the owner and admins may post. */
  mutedAll: z.boolean(),
  joinPolicy: JoinPolicy,
  /** The owner dismissed the group: its timeline is closed. */
  dismissed: z.boolean(),
  /** Seq of the newest message that mentions this user (or everyone); "mentioned you" while > readSeq. */
  mentionSeq: Seq,
});

/**
 * A customer's conversation with a support team. Every agent of the team takes part; the
 * customer sees the team's name and the agent who answers, nothing else of the team.
 */
export const SupportConversation = z.object({
  ...ConversationState,
  type: z.literal('support'),
  /** The team's name: the customer's title for the conversation. */
  name: DisplayName,
  /** The agent answering now; null while nobody is (a new or resolved case). */
  assigneeId: Id.nullable(),
  /** How this user takes part. */
  role: z.enum(['customer', 'agent']),
  /** The case, in agents' summaries only; null in the customer's. */
  case: SupportCase.nullable(),
});

export const Conversation = z.discriminatedUnion('type', [
  SingleConversation,
  GroupConversation,
  SupportConversation,
]);

export const Member = z.object({
  userId: Id,
  role: GroupRole,
  muted: z.boolean(),
  joinedAt: Timestamp,
});

/** What an invite link shows to someone who is not (yet) a member. No messages, no members. */
export const GroupPreview = z.object({
  id: Id,
  name: GroupName,
  avatar: HttpUrl.nullable(),
  description: GroupDescription,
  memberCount: z.number().int().nonnegative(),
  joinPolicy: JoinPolicy,
});

export const Invite = z.object({
  /** The unguessable part of the link. */
  code: z.string(),
  conversationId: Id,
  createdBy: Id,
  createdAt: Timestamp,
  expiresAt: Timestamp.nullable(),
  maxUses: z.number().int().positive().nullable(),
  /** Joins (and join requests) made with it so far. */
  uses: z.number().int().nonnegative(),
  revoked: z.boolean(),
});

export const JoinRequest = z.object({
  conversationId: Id,
  userId: Id,
  requestedAt: Timestamp,
});

export type SingleConversation = z.infer<typeof SingleConversation>;
export type GroupConversation = z.infer<typeof GroupConversation>;
export type SupportConversation = z.infer<typeof SupportConversation>;
export type Conversation = z.infer<typeof Conversation>;
export type ConversationType = Conversation['type'];
export type Member = z.infer<typeof Member>;
export type GroupPreview = z.infer<typeof GroupPreview>;
export type Invite = z.infer<typeof Invite>;
export type JoinRequest = z.infer<typeof JoinRequest>;
