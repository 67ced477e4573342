/** Web Push on SQLite: VAPID keys in `meta`, subscriptions in `push_subscriptions`. */
import type { Database } from 'better-sqlite3';
import {
  pushSubscriptionsPerUserMax,
  type PushSubscriptionRecord,
  type PushTargets,
  type VapidKeys,
} from '../push-storage.js';

export type PushStatements = ReturnType<typeof preparePushStatements>;

interface SubscriptionRow {
  endpoint: string;
  user_id: string;
  p256dh: string;
  auth: string;
}

export function preparePushStatements(db: Database) {
  return {
    offerVapidKeys: db.prepare<[string], unknown>(
      `INSERT INTO meta (key, value) VALUES ('vapid', ?) ON CONFLICT (key) DO NOTHING`,
    ),
    vapidKeys: db
      .prepare<[], string>(`SELECT value FROM meta WHERE key = 'vapid'`)
      .pluck(),
    upsertSubscription: db.prepare<[SubscriptionRow & { now: number }], unknown>(`
      INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
      VALUES (@endpoint, @user_id, @p256dh, @auth, @now)
      ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
        p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`),
    trimSubscriptions: db.prepare<[{ userId: string; keep: number }], unknown>(`
      DELETE FROM push_subscriptions WHERE user_id = @userId AND endpoint NOT IN (
        SELECT endpoint FROM push_subscriptions WHERE user_id = @userId
        ORDER BY created_at DESC, endpoint LIMIT @keep)`),
    deleteOwnSubscription: db.prepare<[string, string], unknown>(
      `DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?`,
    ),
    deleteSubscription: db.prepare<[string], unknown>(
      `DELETE FROM push_subscriptions WHERE endpoint = ?`,
    ),
    // By the recipients' index, then one key lookup of their membership each.
    targetSubscriptions: db.prepare<[{ conversationId: string; userIds: string }], SubscriptionRow>(`
      SELECT s.endpoint, s.user_id, s.p256dh, s.auth
      FROM push_subscriptions s
      JOIN conversation_members m ON m.conversation_id = @conversationId AND m.user_id = s.user_id
      WHERE s.user_id IN (SELECT value FROM json_each(@userIds))
        AND m.state = 'active' AND m.notifications_muted = 0`),
    pushNames: db.prepare<
      [{ conversationId: string; senderId: string }],
      { sender_name: string | null; group_name: string | null }
    >(`
      SELECT (SELECT name FROM users WHERE id = @senderId) AS sender_name,
        (SELECT name FROM conversations WHERE id = @conversationId AND type IN ('group', 'support')) AS group_name`),
  };
}

export function vapidKeys(sql: PushStatements, candidate: VapidKeys): VapidKeys {
  sql.offerVapidKeys.run(JSON.stringify(candidate));
  return JSON.parse(sql.vapidKeys.get()!) as VapidKeys;
}

/** Runs inside its caller's write transaction. */
export function savePushSubscription(
  sql: PushStatements,
  subscription: PushSubscriptionRecord,
  now: number,
): void {
  const { endpoint, userId, p256dh, auth } = subscription;
  sql.upsertSubscription.run({ endpoint, user_id: userId, p256dh, auth, now });
  sql.trimSubscriptions.run({ userId, keep: pushSubscriptionsPerUserMax });
}

export function deletePushSubscription(
  sql: PushStatements,
  endpoint: string,
  userId: string | null,
): void {
  if (userId === null) sql.deleteSubscription.run(endpoint);
  else sql.deleteOwnSubscription.run(endpoint, userId);
}

/** Runs inside its caller's read transaction, so names and subscriptions agree. */
export function pushTargets(
  sql: PushStatements,
  input: { conversationId: string; senderId: string; userIds: readonly string[] },
): PushTargets {
  const { conversationId, senderId, userIds } = input;
  const names = sql.pushNames.get({ conversationId, senderId })!;
  const rows = userIds.length
    ? sql.targetSubscriptions.all({ conversationId, userIds: JSON.stringify(userIds) })
    : [];
  return {
    senderName: names.sender_name,
    groupName: names.group_name,
    subscriptions: rows.map((row) => ({
      endpoint: row.endpoint,
      userId: row.user_id,
      p256dh: row.p256dh,
      auth: row.auth,
    })),
  };
}
