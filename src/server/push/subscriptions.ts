/**
 * Web Push subscriptions: one browser (its endpoint) belongs to one user, and a user keeps
 * their newest `pushSubscriptionsPerUserMax`. Pure: the storage loads what the user has,
 * `decideSubscribe` says what to keep, the storage applies it.
 */
import { allow, type Decision } from '../decision.js';

/** The server's VAPID key pair, base64url, as web-push makes it. */
export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

export interface PushSubscriptionRecord {
  /** The push service's URL; unique: one browser subscription belongs to one user. */
  endpoint: string;
  userId: string;
  /** The browser's P-256 public key and auth secret, base64url. */
  p256dh: string;
  auth: string;
}

/** What sending one message's pushes needs. */
export interface PushTargets {
  senderName: string | null;
  /** The group's name; null for a single chat. */
  groupName: string | null;
  subscriptions: PushSubscriptionRecord[];
}

/** Browsers (or devices) per user that get pushes. */
export const pushSubscriptionsPerUserMax = 10;

/** One of a user's subscriptions, as the cap looks at it. */
export interface StoredSubscription {
  endpoint: string;
  createdAt: number;
}

export type PushWrite =
  /** Stores the subscription, or moves its endpoint to this user with its new keys. */
  | { kind: 'saveSubscription'; subscription: PushSubscriptionRecord; now: number }
  | { kind: 'dropSubscriptions'; endpoints: string[] };

/**
 * A browser subscribes (or another person signed in on it): it becomes the user's newest
 * subscription, and the oldest beyond the cap go (by time, then by endpoint).
 */
export function decideSubscribe(
  stored: readonly StoredSubscription[],
  subscription: PushSubscriptionRecord,
  now: number,
): Decision<PushWrite> {
  const kept = [
    { endpoint: subscription.endpoint, createdAt: now },
    ...stored.filter((other) => other.endpoint !== subscription.endpoint),
  ].sort((a, b) => b.createdAt - a.createdAt || (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  const dropped = kept.slice(pushSubscriptionsPerUserMax).map((other) => other.endpoint);
  const writes: PushWrite[] = [{ kind: 'saveSubscription', subscription, now }];
  if (dropped.length > 0) writes.push({ kind: 'dropSubscriptions', endpoints: dropped });
  return allow(writes);
}
