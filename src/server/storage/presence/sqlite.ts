/** The presence area on SQLite: last-seen times and who may watch whom. */
import type { Database } from 'better-sqlite3';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { PresenceStorage } from './contract.js';

function prepare(db: Database) {
  return {
    setLastSeen: db.prepare<[{ userId: string; at: number }], unknown>(
      `UPDATE users SET last_seen_at = @at WHERE id = @userId`,
    ),
    lastSeen: db.prepare<[string], { id: string; last_seen_at: number }>(
      `SELECT id, last_seen_at FROM users
       WHERE id IN (SELECT value FROM json_each(?)) AND last_seen_at IS NOT NULL`,
    ),
    // Driven by the candidates: each costs a look at their own memberships (by user) and
    // one key lookup per membership, however many conversations the caller has. A
    // customer shares their support conversation with the agent answering, not the team.
    sharingConversation: db
      .prepare<[{ userId: string; candidateIds: string }], string>(`
        SELECT candidate.value FROM json_each(@candidateIds) AS candidate
        WHERE EXISTS (
          SELECT 1 FROM conversation_members other
          JOIN conversation_members me
            ON me.conversation_id = other.conversation_id AND me.user_id = @userId
          LEFT JOIN support_cases s ON s.conversation_id = other.conversation_id
          WHERE other.user_id = candidate.value AND other.state = 'active' AND me.state = 'active'
            AND (s.customer_id IS NULL OR s.customer_id <> @userId OR s.assignee_id = candidate.value)
        )`)
      .pluck(),
  };
}

export function sqlitePresence(connection: SqliteConnection): PresenceStorage {
  return {
    read: {
      async lastSeen(userIds) {
        if (userIds.length === 0) return new Map();
        const rows = connection.run(prepare, (sql) => sql.lastSeen.all(JSON.stringify(userIds)));
        return new Map(rows.map((row) => [row.id, row.last_seen_at]));
      },
      async sharingConversation(userId, candidateIds) {
        if (candidateIds.length === 0) return [];
        const unique = JSON.stringify([...new Set(candidateIds)]);
        return connection.run(prepare, (sql) => sql.sharingConversation.all({ userId, candidateIds: unique }));
      },
    },
    write: {
      async setLastSeen(userId, at) {
        connection.run(prepare, (sql) => sql.setLastSeen.run({ userId, at }));
      },
    },
  };
}
