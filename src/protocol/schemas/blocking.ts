/**
 * Blocking between users, and bans from groups. A block is one user's own choice and
 * reaches the blocker's devices only; a ban is a group's, kept by its owner and admins.
 */
import { z } from 'zod';
import { Id, Timestamp, User } from './primitives.js';

export const BlockUserPayload = z.strictObject({
  userId: Id,
});

/** One person the caller blocked. */
export const BlockedUser = z.object({
  userId: Id,
  blockedAt: Timestamp,
});

/** The caller's whole block list, newest first, with the profiles of those in it. */
export const BlockListResult = z.object({
  blocked: z.array(BlockedUser),
  users: z.array(User),
});

/** To the blocker's other connections: they blocked or unblocked `user`. */
export const BlockChangedEvent = z.object({
  user: User,
  /** True: blocked now (since `blockedAt`); false: unblocked. */
  blocked: z.boolean(),
  blockedAt: Timestamp.nullable(),
});

/** One banned user of a group. */
export const GroupBan = z.object({
  userId: Id,
  /** The owner or admin who banned them (the owner, when the host did). */
  bannedBy: Id,
  bannedAt: Timestamp,
});

export const GroupBansResult = z.object({
  /** Newest first. */
  bans: z.array(GroupBan),
  users: z.array(User),
});

export type BlockUserPayload = z.input<typeof BlockUserPayload>;
export type BlockedUser = z.infer<typeof BlockedUser>;
export type BlockListResult = z.infer<typeof BlockListResult>;
export type BlockChangedEvent = z.infer<typeof BlockChangedEvent>;
export type GroupBan = z.infer<typeof GroupBan>;
export type GroupBansResult = z.infer<typeof GroupBansResult>;
