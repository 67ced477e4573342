/** Access to uploaded files, and Web Push subscriptions. */
import { z } from 'zod';
import { HttpUrl, Id, Seq, Timestamp } from './primitives.js';

export const FileAccessResult = z.object({
  /**
   * Append as `?access=<token>` to `/api/files/<id>` URLs of this conversation's files, so
   * that `<img>` and download links work without headers. Bound to the user and the
   * conversation; refused once the user is no longer a member.
   */
  token: z.string(),
  expiresAt: Timestamp,
});

export const PushConfigResult = z.object({
  /** The server's VAPID public key (base64url), or null when it sends no pushes. */
  publicKey: z.string().nullable(),
});

/** A browser's `PushSubscription.toJSON()`. */
export const PushSubscribePayload = z.strictObject({
  /** The push service's URL; servers accept https only (the reference server: unless configured for tests). */
  endpoint: HttpUrl,
  expirationTime: Timestamp.nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, 'must be a P-256 public key'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, 'must be a push auth secret'),
  }),
});
export const PushUnsubscribePayload = z.strictObject({ endpoint: HttpUrl });

/** What a Web Push message carries (encrypted) to the service worker: one new message. */
export const PushNotification = z.object({
  conversationId: Id,
  seq: Seq.min(1),
  /** The sender's name in a single chat, the group's name in a group. */
  title: z.string(),
  /** Plain text: the start of the message; in a group, after the sender's name. */
  body: z.string(),
  /** Notifications with the same tag replace each other: one per conversation. */
  tag: z.string(),
});
export const EmptyResult = z.object({});

export type FileAccessResult = z.infer<typeof FileAccessResult>;
export type PushConfigResult = z.infer<typeof PushConfigResult>;
export type PushSubscribePayload = z.input<typeof PushSubscribePayload>;
export type PushUnsubscribePayload = z.input<typeof PushUnsubscribePayload>;
export type PushNotification = z.infer<typeof PushNotification>;
export type EmptyResult = z.infer<typeof EmptyResult>;
