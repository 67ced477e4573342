/**
 * Users on PostgreSQL (conversations, messages and read state are areas of their own).
 * Each function runs one statement on the pool.
 */
import type { User } from '../../../protocol/index.js';
import { toUser, shownUserColumns, type ShownUserRow } from '../rows.js';
import type { Queryable } from './pg-database.js';

export async function upsertUser(db: Queryable, user: User, now: number): Promise<void> {
  await db.run(
    `INSERT INTO users (id, name, avatar, name_folded, id_folded, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
       name_folded = excluded.name_folded, updated_at = excluded.updated_at
     WHERE users.name IS DISTINCT FROM excluded.name OR users.avatar IS DISTINCT FROM excluded.avatar`,
    [user.id, user.name, user.avatar, fold(user.name), fold(user.id), now],
  );
}

/** As SQLite's `im_fold`: JavaScript's lower case, whatever the database's locale. */
export function fold(value: string): string {
  return value.toLowerCase();
}

export async function getUsers(db: Queryable, ids: readonly string[]): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await db.rows<ShownUserRow>(`SELECT ${shownUserColumns} FROM users WHERE id = ANY($1::text[])`, [ids]);
  return rows.map(toUser);
}

export async function searchUsers(
  db: Queryable,
  query: string,
  options: { excludeId: string; limit: number },
): Promise<User[]> {
  // Deleted users cannot be found, so no new chat starts with them; anonymous visitors
  // exist for support only and are never listed.
  const rows = await db.rows<ShownUserRow>(
    `SELECT ${shownUserColumns} FROM users
     WHERE id <> $1 AND deleted_at IS NULL
       AND id NOT IN (SELECT id FROM support_visitors)
       AND (strpos(name_folded, $2) > 0 OR strpos(id_folded, $2) > 0)
     ORDER BY name_folded, id
     LIMIT $3`,
    [options.excludeId, fold(query), options.limit],
  );
  return rows.map(toUser);
}
