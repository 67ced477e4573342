/** User accounts on PostgreSQL: the account columns of `users` (migration 3). */
import { CommandError } from '../../errors.js';
import { accountColumns, deletedUserName, toAccount, type AccountRow } from '../account-rows.js';
import type { ErasedUserData, SaveUserAccountInput, UserAccount } from '../user-account-storage.js';
import { fold } from './pg-conversations.js';
import type { PgTransaction, Queryable } from './pg-database.js';

/** The row, locked when `lock`, for changes that read it first. */
async function accountRow(db: Queryable, userId: string, lock = false): Promise<AccountRow | undefined> {
  return db.row<AccountRow>(`SELECT ${accountColumns} FROM users WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [userId]);
}

async function existing(tx: PgTransaction, userId: string): Promise<AccountRow> {
  const row = await accountRow(tx, userId, true);
  if (!row) throw new CommandError('not_found', 'no user with this id');
  return row;
}

function refuseDeleted(row: AccountRow | undefined): void {
  if (row?.deleted_at != null) throw new CommandError('user_deleted', 'this user was deleted');
}

export async function getUserAccount(db: Queryable, userId: string): Promise<UserAccount | null> {
  const row = await accountRow(db, userId);
  return row ? toAccount(row) : null;
}

export async function saveUserAccount(
  tx: PgTransaction,
  input: SaveUserAccountInput,
  now: number,
): Promise<UserAccount> {
  refuseDeleted(await accountRow(tx, input.user.id, true));
  const roles = input.roles === undefined ? null : JSON.stringify([...new Set(input.roles)].sort());
  const bot = input.bot === undefined ? null : input.bot ? 1 : 0;
  const { id, name, avatar } = input.user;
  const saved = await tx.row<AccountRow>(
    `INSERT INTO users (id, name, avatar, name_folded, id_folded, bot, roles, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, coalesce($6::smallint, 0), coalesce($7, '[]'), $8, $8)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
       name_folded = excluded.name_folded, bot = coalesce($6::smallint, users.bot),
       roles = coalesce($7, users.roles), updated_at = excluded.updated_at
     RETURNING ${accountColumns}`,
    [id, name, avatar, fold(name), fold(id), bot, roles, now],
  );
  return toAccount(saved!);
}

export async function setUserBlocked(
  tx: PgTransaction,
  userId: string,
  blocked: boolean,
  now: number,
): Promise<UserAccount> {
  refuseDeleted(await existing(tx, userId));
  const saved = await tx.row<AccountRow>(
    `UPDATE users SET blocked_at = CASE WHEN $2::bigint IS NULL THEN NULL ELSE coalesce(blocked_at, $2) END,
       updated_at = $3
     WHERE id = $1 RETURNING ${accountColumns}`,
    [userId, blocked ? now : null, now],
  );
  return toAccount(saved!);
}

export async function markUserDeleted(tx: PgTransaction, userId: string, now: number): Promise<UserAccount> {
  await existing(tx, userId);
  const saved = await tx.row<AccountRow>(
    `UPDATE users SET name = $2, name_folded = $3, avatar = NULL, roles = '[]',
       deleted_at = coalesce(deleted_at, $4), updated_at = $4
     WHERE id = $1 RETURNING ${accountColumns}`,
    [userId, deletedUserName, fold(deletedUserName), now],
  );
  await tx.run('DELETE FROM push_subscriptions WHERE user_id = $1', [userId]);
  return toAccount(saved!);
}

export async function eraseUserMessages(tx: PgTransaction, userId: string): Promise<ErasedUserData> {
  // An edit event carries the new text: it becomes a recall of its target. The rest of
  // what they sent becomes recalled by them, out of the search index.
  await tx.run(
    `UPDATE messages SET
       type = CASE WHEN type = 'edit' THEN 'recall' ELSE 'recalled' END,
       body = CASE WHEN type = 'edit'
         THEN json_build_object('type', 'recall', 'targetSeq', (body::json ->> 'targetSeq')::integer)::text
         ELSE json_build_object('type', 'recalled', 'by', sender_id)::text END,
       edited_at = NULL, search_text = NULL
     WHERE sender_id = $1 AND type IN ('text', 'image', 'file', 'edit')`,
    [userId],
  );
  // Quotes of their messages in other people's replies lose their excerpt.
  await tx.run(
    `UPDATE messages SET reply_to = (reply_to::jsonb || '{"type": "recalled", "excerpt": ""}'::jsonb)::text
     WHERE reply_to IS NOT NULL AND reply_to::jsonb ->> 'senderId' = $1`,
    [userId],
  );
  const keys = await tx.rows<{ storage_key: string }>(
    `DELETE FROM files WHERE uploader_id = $1 RETURNING storage_key`,
    [userId],
  );
  const uploaded = [...new Set(keys.map((row) => row.storage_key))];
  const shared = await tx.rows<{ storage_key: string }>(
    'SELECT DISTINCT storage_key FROM files WHERE storage_key = ANY($1::text[])',
    [uploaded],
  );
  const inUse = new Set(shared.map((row) => row.storage_key));
  return { orphanedStorageKeys: uploaded.filter((key) => !inUse.has(key)) };
}
