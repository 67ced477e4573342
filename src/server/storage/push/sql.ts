/** Web Push on either backend: VAPID keys in `meta`, subscriptions in `push_subscriptions`. */
import { settle } from '../../decision.js';
import { decideSubscribe, type PushSubscriptionRecord, type VapidKeys } from '../../push/subscriptions.js';
import { inList, sql, type SqlDatabase } from '../sql/sql.js';
import type { PushStorage } from './contract.js';

// In one statement, so names and subscriptions agree: by the recipients' index, then one
// key lookup of their membership each.
const targets = sql`
  SELECT (SELECT name FROM users WHERE id = $2) AS sender_name,
    (SELECT name FROM conversations WHERE id = $1 AND type IN ('group', 'support')) AS group_name,
    CAST(coalesce((
      SELECT ${{ sqlite: 'json_group_array(json_object', postgres: 'json_agg(json_build_object' }}('endpoint', s.endpoint,
        'userId', s.user_id, 'p256dh', s.p256dh, 'auth', s.auth))
      FROM push_subscriptions s
      JOIN conversation_members m ON m.conversation_id = $1 AND m.user_id = s.user_id
      WHERE s.user_id ${inList(3)} AND m.state = 'active' AND m.notifications_muted = 0
    ), '[]') AS text) AS subscriptions`;

const saveSubscription = `
  INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
    p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`;

const dropSubscriptions = sql`DELETE FROM push_subscriptions WHERE endpoint ${inList(1)}`;

export function sqlPush(db: SqlDatabase): PushStorage {
  return {
    read: {
      async targets({ conversationId, senderId, userIds }) {
        const row = (await db.row<{ sender_name: string | null; group_name: string | null; subscriptions: string }>(
          targets,
          [conversationId, senderId, userIds],
        ))!;
        const subscriptions = JSON.parse(row.subscriptions) as PushSubscriptionRecord[];
        return { senderName: row.sender_name, groupName: row.group_name, subscriptions };
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
              await tx.run(dropSubscriptions, [write.endpoints]);
            } else {
              const { endpoint, userId, p256dh, auth } = write.subscription;
              await tx.run(saveSubscription, [endpoint, userId, p256dh, auth, write.now]);
            }
          }
        }),
      async unsubscribe(endpoint, userId) {
        await db.run('DELETE FROM push_subscriptions WHERE endpoint = $1 AND (CAST($2 AS text) IS NULL OR user_id = $2)', [
          endpoint,
          userId,
        ]);
      },
    },
  };
}
