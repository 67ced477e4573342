/** Web Push on PostgreSQL: VAPID keys in `meta`, subscriptions in `push_subscriptions`. */
import { settle } from '../../decision.js';
import { decideSubscribe, type PushSubscriptionRecord, type VapidKeys } from '../../push/subscriptions.js';
import type { PgDatabase } from '../postgres/pg-database.js';
import type { PushStorage } from './contract.js';

export function postgresPush(db: PgDatabase): PushStorage {
  return {
    read: {
      // In one statement, so names and subscriptions agree.
      async targets({ conversationId, senderId, userIds }) {
        const row = (await db.row<{
          sender_name: string | null;
          group_name: string | null;
          subscriptions: PushSubscriptionRecord[];
        }>(
          `SELECT (SELECT name FROM users WHERE id = $2) AS sender_name,
             (SELECT name FROM conversations WHERE id = $1 AND type IN ('group', 'support')) AS group_name,
             coalesce((
               SELECT json_agg(json_build_object('endpoint', s.endpoint, 'userId', s.user_id,
                 'p256dh', s.p256dh, 'auth', s.auth))
               FROM push_subscriptions s
               JOIN conversation_members m ON m.conversation_id = $1 AND m.user_id = s.user_id
               WHERE s.user_id = ANY($3::text[]) AND m.state = 'active' AND m.notifications_muted = 0
             ), '[]') AS subscriptions`,
          [conversationId, senderId, userIds],
        ))!;
        return { senderName: row.sender_name, groupName: row.group_name, subscriptions: row.subscriptions };
      },
    },
    write: {
      // The first keys stored win; every process reads them back.
      async vapidKeys(candidate) {
        await db.run(`INSERT INTO meta (key, value) VALUES ('vapid', $1) ON CONFLICT (key) DO NOTHING`, [
          JSON.stringify(candidate),
        ]);
        return JSON.parse((await db.row<{ value: string }>(`SELECT value FROM meta WHERE key = 'vapid'`))!.value) as VapidKeys;
      },
      subscribe: (subscription, now) =>
        db.transaction(async (tx) => {
          const stored = await tx.rows<{ endpoint: string; createdAt: number }>(
            'SELECT endpoint, created_at AS "createdAt" FROM push_subscriptions WHERE user_id = $1',
            [subscription.userId],
          );
          for (const write of settle(decideSubscribe(stored, subscription, now)).writes) {
            if (write.kind === 'dropSubscriptions') {
              await tx.run('DELETE FROM push_subscriptions WHERE endpoint = ANY($1::text[])', [write.endpoints]);
              continue;
            }
            const { endpoint, userId, p256dh, auth } = write.subscription;
            await tx.run(
              `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
                 p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
              [endpoint, userId, p256dh, auth, write.now],
            );
          }
        }),
      async unsubscribe(endpoint, userId) {
        await db.run('DELETE FROM push_subscriptions WHERE endpoint = $1 AND ($2::text IS NULL OR user_id = $2)', [
          endpoint,
          userId,
        ]);
      },
    },
  };
}
