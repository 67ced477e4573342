/** Web Push on SQLite: VAPID keys in `meta`, subscriptions in `push_subscriptions`. */
import type { Database } from 'better-sqlite3';
import { settle } from '../../decision.js';
import { decideSubscribe, type PushSubscriptionRecord, type PushWrite } from '../../push/subscriptions.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { PushStorage } from './contract.js';

type Statements = ReturnType<typeof prepare>;

function prepare(db: Database) {
  return {
    offerVapidKeys: db.prepare<[string], unknown>(
      `INSERT INTO meta (key, value) VALUES ('vapid', ?) ON CONFLICT (key) DO NOTHING`,
    ),
    vapidKeys: db.prepare<[], string>(`SELECT value FROM meta WHERE key = 'vapid'`).pluck(),
    subscriptionsOf: db.prepare<[string], { endpoint: string; createdAt: number }>(
      `SELECT endpoint, created_at AS createdAt FROM push_subscriptions WHERE user_id = ?`,
    ),
    upsertSubscription: db.prepare<[PushSubscriptionRecord & { now: number }], unknown>(`
      INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
      VALUES (@endpoint, @userId, @p256dh, @auth, @now)
      ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
        p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`),
    dropSubscriptions: db.prepare<[string], unknown>(
      `DELETE FROM push_subscriptions WHERE endpoint IN (SELECT value FROM json_each(?))`,
    ),
    deleteOwnSubscription: db.prepare<[string, string], unknown>(
      `DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?`,
    ),
    deleteSubscription: db.prepare<[string], unknown>(`DELETE FROM push_subscriptions WHERE endpoint = ?`),
    // By the recipients' index, then one key lookup of their membership each.
    targetSubscriptions: db.prepare<[{ conversationId: string; userIds: string }], PushSubscriptionRecord>(`
      SELECT s.endpoint, s.user_id AS userId, s.p256dh, s.auth
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

function apply(sql: Statements, write: PushWrite): void {
  if (write.kind === 'dropSubscriptions') {
    sql.dropSubscriptions.run(JSON.stringify(write.endpoints));
    return;
  }
  sql.upsertSubscription.run({ ...write.subscription, now: write.now });
}

export function sqlitePush(connection: SqliteConnection): PushStorage {
  return {
    read: {
      // One read transaction, so names and subscriptions agree.
      async targets({ conversationId, senderId, userIds }) {
        return connection.run(prepare, (sql) =>
          connection.db.transaction(() => {
            const names = sql.pushNames.get({ conversationId, senderId })!;
            const subscriptions = userIds.length
              ? sql.targetSubscriptions.all({ conversationId, userIds: JSON.stringify(userIds) })
              : [];
            return { senderName: names.sender_name, groupName: names.group_name, subscriptions };
          })(),
        );
      },
    },
    write: {
      async vapidKeys(candidate) {
        const stored = connection.write(prepare, (sql) => {
          sql.offerVapidKeys.run(JSON.stringify(candidate));
          return sql.vapidKeys.get()!;
        });
        return JSON.parse(stored) as typeof candidate;
      },
      async subscribe(subscription, now) {
        connection.write(prepare, (sql) => {
          const stored = sql.subscriptionsOf.all(subscription.userId);
          for (const write of settle(decideSubscribe(stored, subscription, now)).writes) apply(sql, write);
        });
      },
      async unsubscribe(endpoint, userId) {
        connection.run(prepare, (sql) =>
          userId === null ? sql.deleteSubscription.run(endpoint) : sql.deleteOwnSubscription.run(endpoint, userId),
        );
      },
    },
  };
}
