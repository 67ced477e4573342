/** The presence area on either backend: last-seen times and who may watch whom. */
import { inList, listRows, sql, type SqlDatabase } from '../sql/sql.js';
import type { PresenceStorage } from './contract.js';

const lastSeen = sql`SELECT id, last_seen_at FROM users WHERE id ${inList(1)} AND last_seen_at IS NOT NULL`;

// Driven by the candidates: each costs a look at their own memberships (by user) and one
// key lookup per membership, however many conversations the caller has. A customer shares
// their support conversation with the agent answering, not the team.
const sharingConversation = sql`
  SELECT candidate.id FROM ${listRows(2, 'candidate', 'id')}
  WHERE EXISTS (
    SELECT 1 FROM conversation_members other
    JOIN conversation_members me ON me.conversation_id = other.conversation_id AND me.user_id = $1
    LEFT JOIN support_cases s ON s.conversation_id = other.conversation_id
    WHERE other.user_id = candidate.id AND other.state = 'active' AND me.state = 'active'
      AND (s.customer_id IS NULL OR s.customer_id <> $1 OR s.assignee_id = candidate.id)
  )`;

export function sqlPresence(db: SqlDatabase): PresenceStorage {
  return {
    read: {
      async lastSeen(userIds) {
        if (userIds.length === 0) return new Map();
        const rows = await db.rows<{ id: string; last_seen_at: number }>(lastSeen, [userIds]);
        return new Map(rows.map((row) => [row.id, row.last_seen_at]));
      },
      async sharingConversation(userId, candidateIds) {
        if (candidateIds.length === 0) return [];
        const rows = await db.rows<{ id: string }>(sharingConversation, [userId, [...new Set(candidateIds)]]);
        return rows.map((row) => row.id);
      },
    },
    write: {
      async setLastSeen(userId, at) {
        await db.run('UPDATE users SET last_seen_at = $2 WHERE id = $1', [userId, at]);
      },
    },
  };
}
