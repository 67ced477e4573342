/**
 * Requests and answers of the admin API, made from the protocol's own schemas so that a
 * value is valid over HTTP exactly when it is valid on the socket.
 */
import { z } from 'zod';
import { limits } from '../../protocol/limits.js';
import {
  ClientId,
  CreateGroupPayload,
  DisplayName,
  GroupAnnouncement,
  Conversation,
  GroupConversation,
  HttpUrl,
  Invite,
  Member,
  Message,
  HistoryBody,
  MessageBody,
  Id,
  InviteCode,
  JoinPolicy,
  Seq,
  SendMessagePayload,
  Timestamp,
  User,
} from '../../protocol/schemas.js';
import { webhookEventTypes } from '../webhooks/events.js';

/** A host-defined role, e.g. `agent`. */
export const Role = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be 1-32 of a-z 0-9 _ -, starting with a letter');

export const UserParams = z.strictObject({ userId: Id });
export const GroupParams = z.strictObject({ groupId: Id });
export const ConversationParams = z.strictObject({ conversationId: Id });
export const MemberParams = z.strictObject({ groupId: Id, userId: Id });
export const BlockParams = z.strictObject({ userId: Id, blockedId: Id });
export const InviteParams = z.strictObject({ groupId: Id, code: InviteCode });
export const MessageParams = z.strictObject({ conversationId: Id, seq: z.coerce.number().pipe(Seq.min(1)) });
export const WebhookParams = z.strictObject({ webhookId: z.string().max(64) });

export const SaveUserBody = z.strictObject({
  name: DisplayName,
  avatar: HttpUrl.nullable().optional(),
  /** An automated sender: the widget marks its messages. Unchanged when omitted. */
  bot: z.boolean().optional(),
  /** Unchanged when omitted. */
  roles: z.array(Role).max(16).optional(),
});

export const UserAccountResult = z.object({
  user: User,
  bot: z.boolean(),
  roles: z.array(z.string()),
  blocked: z.boolean(),
  deleted: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const DeleteUserQuery = z.strictObject({
  /** `anonymize` (default) keeps what they wrote, as from "Deleted user"; `erase` removes it too. */
  mode: z.enum(['anonymize', 'erase']).default('anonymize'),
});

export const UnreadResult = z.object({
  total: z.number().int().nonnegative(),
  conversations: z.array(
    z.object({
      conversationId: Id,
      type: z.enum(['single', 'group', 'support']),
      unreadCount: z.number().int().nonnegative(),
      notificationsMuted: z.boolean(),
      mentioned: z.boolean(),
      markedUnread: z.boolean(),
    }),
  ),
});

export const CreateGroupBody = CreateGroupPayload.extend({
  /** Who owns the group; the admin API acts with the owner's authority. */
  ownerId: Id,
  announcement: GroupAnnouncement.optional(),
  joinPolicy: JoinPolicy.optional(),
});

/** The group itself, as no one member in particular sees it. */
export const GroupSummary = GroupConversation.pick({
  id: true,
  name: true,
  avatar: true,
  description: true,
  announcement: true,
  memberCount: true,
  mutedAll: true,
  joinPolicy: true,
  dismissed: true,
  lastSeq: true,
  createdAt: true,
  updatedAt: true,
}).extend({ ownerId: Id });
export const GroupSummaryResult = z.object({ group: GroupSummary });

export const MembersQuery = z.strictObject({
  cursor: z.string().max(256).optional(),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(limits.membersPageMax)).default(limits.membersPageDefault),
});
export const RoleBody = z.strictObject({
  /** `owner` hands the group over (the previous owner becomes an admin). */
  role: z.enum(['owner', 'admin', 'member']),
});
export const MutedBody = z.strictObject({ muted: z.boolean() });
export const JoinPolicyBody = z.strictObject({ joinPolicy: JoinPolicy });
export const CreateInviteBody = z.strictObject({
  expiresAt: Timestamp.nullable().optional(),
  maxUses: z.number().int().min(1).max(limits.inviteUsesMax).nullable().optional(),
});

export const SingleConversationBody = z.strictObject({ userIds: z.tuple([Id, Id]) });
export const SingleConversationResult = z.object({
  conversation: z.object({
    id: Id,
    type: z.literal('single'),
    memberIds: z.array(Id),
    createdAt: Timestamp,
    lastSeq: Seq,
  }),
});

export const SendMessageBody = SendMessagePayload.omit({ conversationId: true }).extend({
  /** Who sends it: a member of the conversation (a bot user for system messages). */
  senderId: Id,
  /** Made from the Idempotency-Key header when omitted, else random. */
  clientId: ClientId.optional(),
});

export const HistoryQuery = z
  .strictObject({
    beforeSeq: z.coerce.number().pipe(Seq.min(1)).optional(),
    afterSeq: z.coerce.number().pipe(Seq).optional(),
    limit: z.coerce
      .number()
      .pipe(z.number().int().min(1).max(limits.historyPageMax))
      .default(limits.historyPageDefault),
  })
  .refine((query) => query.beforeSeq === undefined || query.afterSeq === undefined, {
    message: 'give beforeSeq or afterSeq, not both',
  });

export const WebhookEventType = z.enum(webhookEventTypes);
export const CreateWebhookBody = z.strictObject({
  url: HttpUrl,
  events: z.array(WebhookEventType).min(1).max(webhookEventTypes.length),
});
export const Webhook = z.object({
  id: z.string(),
  url: HttpUrl,
  events: z.array(z.string()),
  createdAt: Timestamp,
});
export const CreatedWebhookResult = z.object({
  webhook: Webhook.extend({
    /** The signing secret, shown here only: keep it to verify deliveries. */
    secret: z.string(),
  }),
});
export const WebhooksResult = z.object({ webhooks: z.array(Webhook) });
export const FailedDeliveriesResult = z.object({
  deliveries: z.array(
    z.object({
      eventId: z.string(),
      eventType: z.string(),
      attempts: z.number().int(),
      lastError: z.string().nullable(),
      payload: z.unknown(),
    }),
  ),
});

export const ErrorResult = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/** Named once in the OpenAPI document's components, referenced everywhere else. */
export const sharedSchemas = z.registry<{ id: string }>();
for (const [id, schema] of [
  ['User', User],
  ['Message', Message],
  ['MessageBody', MessageBody],
  ['HistoryBody', HistoryBody],
  ['Conversation', Conversation],
  ['Member', Member],
  ['Invite', Invite],
  ['UserAccount', UserAccountResult],
  ['GroupSummary', GroupSummary],
  ['Error', ErrorResult],
] as const) {
  sharedSchemas.add(schema, { id });
}
