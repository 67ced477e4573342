/** What a timeline holds: messages people write and the events the server records. */
import { z } from 'zod';
import { limits } from '../limits.js';
import {
  ClientId,
  controlCharacters,
  GroupAnnouncement,
  GroupDescription,
  GroupName,
  HttpUrl,
  Id,
  JoinPolicy,
  Seq,
  Timestamp,
} from './primitives.js';

export const TextBody = z.strictObject({
  type: z.literal('text'),
  text: z
    .string()
    .max(limits.textLength, `must be at most ${limits.textLength} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty')
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters'),
  /**
   * Ids of the group members this message mentions; the text shows their names. The
   * server keeps only ids of current members. Structured, never parsed from the text.
   */
  mentions: z.array(Id).max(limits.mentionsMax).optional(),
  /** Mentions everyone (`@all`); only a group's owner and admins may. */
  mentionAll: z.boolean().optional(),
});

/**
 * A change the server recorded in a group's timeline. Who made it is the message's
 * `senderId` (the member who joined or left, for those events).
 */
export const SystemEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group.created'), name: GroupName }),
  z.object({ kind: z.literal('members.added'), userIds: z.array(Id) }),
  /** Joined with an invite link; `approvedBy` when the group needs approval. */
  z.object({ kind: z.literal('member.joined'), userId: Id, approvedBy: Id.nullable() }),
  z.object({ kind: z.literal('member.left'), userId: Id }),
  z.object({ kind: z.literal('member.removed'), userId: Id }),
  z.object({ kind: z.literal('member.role'), userId: Id, role: z.enum(['admin', 'member']) }),
  /** `userId` is the new owner; the previous owner became an admin. */
  z.object({ kind: z.literal('owner.changed'), userId: Id }),
  z.object({ kind: z.literal('member.muted'), userId: Id, muted: z.boolean() }),
  /** While `muted`, only the owner and admins may post. */
  z.object({ kind: z.literal('group.muted'), muted: z.boolean() }),
  /** Only the fields that changed. */
  z.object({
    kind: z.literal('group.updated'),
    name: GroupName.optional(),
    avatar: HttpUrl.nullable().optional(),
    description: GroupDescription.optional(),
    announcement: GroupAnnouncement.optional(),
  }),
  z.object({ kind: z.literal('group.join-policy'), joinPolicy: JoinPolicy }),
  z.object({ kind: z.literal('group.dismissed') }),
]);

export const SystemBody = z.object({
  type: z.literal('system'),
  event: SystemEvent,
});

/** What a client may send. */
export const OutgoingBody = z.discriminatedUnion('type', [TextBody]);

/** What a timeline entry carries; more types (image, file) join this union. */
export const MessageBody = z.discriminatedUnion('type', [TextBody, SystemBody]);

export const Message = z.object({
  /** Server-assigned, unique across the server. */
  id: z.string(),
  conversationId: Id,
  /** Position in the conversation's timeline: 1, 2, 3, … with no gaps. */
  seq: Seq.min(1),
  /** Who wrote it, or who made the change a system event records. */
  senderId: Id,
  /** The sender's idempotency key; server-made for system events. */
  clientId: ClientId,
  body: MessageBody,
  createdAt: Timestamp,
});

export type TextBody = z.infer<typeof TextBody>;
export type SystemEvent = z.infer<typeof SystemEvent>;
export type SystemBody = z.infer<typeof SystemBody>;
export type OutgoingBody = z.infer<typeof OutgoingBody>;
export type MessageBody = z.infer<typeof MessageBody>;
export type Message = z.infer<typeof Message>;
