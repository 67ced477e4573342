/** The push area of storage: the server's VAPID keys and the browsers' subscriptions. */
import type { PushSubscriptionRecord, PushTargets, VapidKeys } from '../../push/subscriptions.js';
import type { StorageArea } from '../area.js';

export interface PushReads {
  /**
   * In one read: the subscriptions of those `userIds` who are active members of the
   * conversation and have not muted its notifications, and the names its pushes show.
   */
  targets(input: { conversationId: string; senderId: string; userIds: readonly string[] }): Promise<PushTargets>;
}

export interface PushWrites {
  /**
   * Stores `candidate` as the server's VAPID keys unless keys are stored already, and
   * returns the stored ones: every process of one storage signs with the same keys.
   */
  vapidKeys(candidate: VapidKeys): Promise<VapidKeys>;
  /** Stores a subscription as `decideSubscribe` (push/subscriptions.ts) says. */
  subscribe(subscription: PushSubscriptionRecord, now: number): Promise<void>;
  /** Deletes the endpoint if it belongs to `userId`, or whoever's it is when `userId` is null. */
  unsubscribe(endpoint: string, userId: string | null): Promise<void>;
}

export type PushStorage = StorageArea<PushReads, PushWrites>;
