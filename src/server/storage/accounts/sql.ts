/** Users and their accounts on either backend: `users` with its account columns. */
import type { MessageBody, User } from '../../../protocol/index.js';
import type { UserAccount } from '../../accounts/account.js';
import {
  decideBlock,
  decideDelete,
  decideSaveAccount,
  eraseSentMessages,
  type AccountWrite,
} from '../../accounts/decisions.js';
import { decideUserBlock, type BlockWrite } from '../../accounts/block-decisions.js';
import { settle, type Decision } from '../../decision.js';
import { fold } from '../postgres/fold.js';
import { authoredTypes, shownUserColumns, toUser, type ShownUserRow } from '../rows.js';
import { inList, lock, onPostgres, sql, type DialectSql, type SqlDatabase, type SqlQueryable } from '../sql/sql.js';
import type { AccountStorage } from './contract.js';
import { accountColumns, flag, toAccount, type AccountRow } from './rows.js';

/** PostgreSQL keeps folded copies of name and id to search (SQLite folds as it searches). */
const foldedName: DialectSql = { sqlite: 'im_fold(name)', postgres: 'name_folded' };
const foldedId: DialectSql = { sqlite: 'im_fold(id)', postgres: 'id_folded' };
const position: DialectSql = { sqlite: 'instr', postgres: 'strpos' };

// Deleted users cannot be found, so no new chat starts with them; anonymous visitors exist
// for support only and are never listed.
const search = sql`
  SELECT ${shownUserColumns} FROM users
  WHERE id <> $1 AND deleted_at IS NULL
    AND id NOT IN (SELECT id FROM support_visitors)
    AND (${position}(${foldedName}, $2) > 0 OR ${position}(${foldedId}, $2) > 0)
  ORDER BY ${foldedName}, id
  LIMIT $3`;

const upsert = sql`
  INSERT INTO users (id, name, avatar${onPostgres(', name_folded, id_folded')}, created_at, updated_at)
  VALUES ($1, $2, $3${onPostgres(', $4, $5')}, $6, $6)
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
    ${onPostgres('name_folded = excluded.name_folded,')} updated_at = excluded.updated_at
  WHERE users.name IS DISTINCT FROM excluded.name OR users.avatar IS DISTINCT FROM excluded.avatar`;

const saveAccount = sql`
  INSERT INTO users (id, name, avatar${onPostgres(', name_folded, id_folded')}, bot, roles, created_at, updated_at)
  VALUES ($1, $2, $3${onPostgres(', $4, $5')}, coalesce(CAST($6 AS smallint), 0), coalesce($7, '[]'), $8, $8)
  ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
    ${onPostgres('name_folded = excluded.name_folded,')} bot = coalesce(CAST($6 AS smallint), users.bot),
    roles = coalesce($7, users.roles), updated_at = excluded.updated_at`;

const markDeleted = sql`
  UPDATE users SET name = $2, ${onPostgres('name_folded = $3,')} avatar = NULL, roles = '[]', deleted_at = $4, updated_at = $5
  WHERE id = $1`;

// The messages erased, given as four lists: conversation ids, seqs, types and bodies.
const erasedOnSqlite = `(SELECT c.value AS conversation_id, s.value AS seq, t.value AS type, b.value AS body
  FROM json_each($1) AS c JOIN json_each($2) AS s ON s.key = c.key
  JOIN json_each($3) AS t ON t.key = c.key JOIN json_each($4) AS b ON b.key = c.key) AS e`;

// What they sent leaves the search index with its text: a column on PostgreSQL, the FTS
// index on SQLite (below).
const eraseBodies: DialectSql = {
  sqlite: `UPDATE messages AS m SET type = e.type, body = e.body, edited_at = NULL FROM ${erasedOnSqlite}
    WHERE m.conversation_id = e.conversation_id AND m.seq = e.seq`,
  postgres: `UPDATE messages m SET type = e.type, body = e.body, edited_at = NULL, search_text = NULL
    FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[]) AS e (conversation_id, seq, type, body)
    WHERE m.conversation_id = e.conversation_id AND m.seq = e.seq`,
};

// The index is keyed by each message's arrival (see search/sql.ts).
const unindexOnSqlite = `DELETE FROM message_search WHERE rowid IN (SELECT m.arrival FROM messages m
  JOIN ${erasedOnSqlite} ON m.conversation_id = e.conversation_id AND m.seq = e.seq)`;

// Quotes of their messages in other people's replies lose their excerpt.
const eraseQuotes: DialectSql = {
  sqlite: `UPDATE messages SET reply_to = json_set(reply_to, '$.type', 'recalled', '$.excerpt', '')
    WHERE reply_to IS NOT NULL AND json_extract(reply_to, '$.senderId') = $1`,
  postgres: `UPDATE messages SET reply_to = (reply_to::jsonb || '{"type": "recalled", "excerpt": ""}'::jsonb)::text
    WHERE reply_to IS NOT NULL AND reply_to::jsonb ->> 'senderId' = $1`,
};

const blockedBy = 'SELECT blocked_id, created_at FROM user_blocks WHERE blocker_id = $1 ORDER BY created_at DESC, blocked_id';
/** Of the users listed in $2, those with a block between them and $1, either way. */
export const blockedWith = sql`
  SELECT blocked_id AS user_id FROM user_blocks WHERE blocker_id = $1 AND blocked_id ${inList(2)}
  UNION SELECT blocker_id FROM user_blocks WHERE blocked_id = $1 AND blocker_id ${inList(2)}`;
// The blocker's row is locked first, so that two blocks by one user count one after the other.
const blockSnapshot = sql`
  SELECT (SELECT count(*) FROM users WHERE id = $2) AS target,
    (SELECT created_at FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocked_at,
    (SELECT count(*) FROM user_blocks WHERE blocker_id = $1) AS blocked_count
  FROM users WHERE id = $1 ${lock()}`;
const blockWrites: Record<BlockWrite['kind'], string> = {
  block: 'INSERT INTO user_blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)',
  unblock: 'DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2',
};

/** The account, its row locked when `locked`, for changes that read it first. */
async function account(db: SqlQueryable, userId: string, locked = false): Promise<UserAccount | null> {
  const row = await db.row<AccountRow>(sql`SELECT ${accountColumns} FROM users WHERE id = $1 ${locked ? lock() : ''}`, [
    userId,
  ]);
  return row ? toAccount(row) : null;
}

async function apply(db: SqlQueryable, write: AccountWrite): Promise<void> {
  switch (write.kind) {
    case 'saveAccount': {
      const { id, name, avatar } = write.user;
      const roles = write.roles && JSON.stringify(write.roles);
      await db.run(saveAccount, [id, name, avatar, fold(name), fold(id), flag(write.bot), roles, write.now]);
      return;
    }
    case 'setBlocked':
      await db.run('UPDATE users SET blocked_at = $2, updated_at = $3 WHERE id = $1', [write.userId, write.blockedAt, write.now]);
      return;
    case 'markDeleted':
      await db.run(markDeleted, [write.userId, write.name, fold(write.name), write.deletedAt, write.now]);
      return;
    case 'dropPushSubscriptions':
      await db.run('DELETE FROM push_subscriptions WHERE user_id = $1', [write.userId]);
  }
}

/** Creates the user or updates name and avatar; also in other areas' transactions (a new visitor). */
export async function upsertUser(db: SqlQueryable, user: User, now: number): Promise<void> {
  await db.run(upsert, [user.id, user.name, user.avatar, fold(user.name), fold(user.id), now]);
}

export function sqlAccounts(db: SqlDatabase): AccountStorage {
  /** In one transaction: the account locked, the decision, its writes, the account after. */
  const change = (userId: string, decide: (stored: UserAccount | null) => Decision<AccountWrite>) =>
    db.transaction(async (tx) => {
      for (const write of settle(decide(await account(tx, userId, true))).writes) await apply(tx, write);
      return (await account(tx, userId))!;
    });

  return {
    read: {
      async users(ids) {
        if (ids.length === 0) return [];
        const rows = await db.rows<ShownUserRow>(sql`SELECT ${shownUserColumns} FROM users WHERE id ${inList(1)}`, [ids]);
        return rows.map(toUser);
      },
      async search(query, options) {
        const rows = await db.rows<ShownUserRow>(search, [options.excludeId, fold(query), options.limit]);
        return rows.map(toUser);
      },
      account: (userId) => account(db, userId),
      async blockedBy(blockerId) {
        const rows = await db.rows<{ blocked_id: string; created_at: number }>(blockedBy, [blockerId]);
        return rows.map((row) => ({ userId: row.blocked_id, blockedAt: row.created_at }));
      },
      async blockedWith(userId, otherIds) {
        const rows = otherIds.length ? await db.rows<{ user_id: string }>(blockedWith, [userId, otherIds]) : [];
        return new Set(rows.map((row) => row.user_id));
      },
    },
    write: {
      upsertUser: (user, now) => upsertUser(db, user, now),
      save: (input, now) => change(input.user.id, (stored) => decideSaveAccount(stored, input, now)),
      setBlocked: (userId, blocked, now) => change(userId, (stored) => decideBlock(stored, blocked, now)),
      markDeleted: (userId, now) => change(userId, (stored) => decideDelete(stored, now)),
      setUserBlock: ({ blockerId, userId, blocked, now }) =>
        db.transaction(async (tx) => {
          type Row = { target: number; blocked_at: number | null; blocked_count: number };
          const row = await tx.row<Row>(blockSnapshot, [blockerId, userId]);
          const snapshot = { targetExists: !!row?.target, blockedAt: row?.blocked_at ?? null, blockedCount: row?.blocked_count ?? 0 };
          const { writes, result } = settle(decideUserBlock(snapshot, { blockerId, userId, blocked }, now));
          for (const write of writes) {
            await tx.run(blockWrites[write.kind], write.kind === 'block' ? [blockerId, userId, write.at] : [blockerId, userId]);
          }
          return result;
        }),
      eraseMessages: (userId) =>
        db.transaction(async (tx) => {
          const sent = await tx.rows<{ conversation_id: string; seq: number; body: string }>(
            `SELECT conversation_id, seq, body FROM messages
             WHERE sender_id = $1 AND type IN ${authoredTypes}`,
            [userId],
          );
          const erased = eraseSentMessages(
            userId,
            sent.map((row) => ({ conversationId: row.conversation_id, seq: row.seq, body: JSON.parse(row.body) as MessageBody })),
          );
          const lists = [
            erased.map((message) => message.conversationId),
            erased.map((message) => message.seq),
            erased.map((message) => message.body.type),
            erased.map((message) => JSON.stringify(message.body)),
          ];
          await tx.run(eraseBodies, lists);
          if (tx.dialect === 'sqlite') await tx.run(unindexOnSqlite, lists);
          await tx.run(eraseQuotes, [userId]);
          const keys = await tx.rows<{ storage_key: string }>('DELETE FROM files WHERE uploader_id = $1 RETURNING storage_key', [
            userId,
          ]);
          const uploaded = [...new Set(keys.map((row) => row.storage_key))];
          const shared = await tx.rows<{ storage_key: string }>(
            sql`SELECT DISTINCT storage_key FROM files WHERE storage_key ${inList(1)}`,
            [uploaded],
          );
          const inUse = new Set(shared.map((row) => row.storage_key));
          return { orphanedStorageKeys: uploaded.filter((key) => !inUse.has(key)) };
        }),
    },
  };
}
