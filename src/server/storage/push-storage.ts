/** The Web Push part of the storage contract: the server's VAPID keys and the subscriptions. */

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

export interface PushStorage {
  /**
   * Stores `candidate` as the server's VAPID keys unless keys are stored already, and
   * returns the stored ones: every process of one storage signs with the same keys.
   */
  vapidKeys(candidate: VapidKeys): Promise<VapidKeys>;
  /**
   * Stores a subscription, or moves an existing endpoint to this user with its new keys
   * (another person signed in on that browser). A user keeps their newest
   * `pushSubscriptionsPerUserMax` subscriptions; older ones are dropped.
   */
  savePushSubscription(subscription: PushSubscriptionRecord, now: number): Promise<void>;
  /** Deletes the endpoint if it belongs to `userId`, or whoever's it is when `userId` is null. */
  deletePushSubscription(endpoint: string, userId: string | null): Promise<void>;
  /**
   * In one read: the subscriptions of those `userIds` who are active members of the
   * conversation and have not muted its notifications, and the names its pushes show.
   */
  pushTargets(input: {
    conversationId: string;
    senderId: string;
    userIds: readonly string[];
  }): Promise<PushTargets>;
}

/** Browsers (or devices) per user that get pushes. */
export const pushSubscriptionsPerUserMax = 10;
