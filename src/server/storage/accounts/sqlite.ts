/** Users and their accounts on SQLite: `users` with its account columns (migration 5). */
import type { Database } from 'better-sqlite3';
import type { MessageBody, User } from '../../../protocol/index.js';
import type { UserAccount } from '../../accounts/account.js';
import {
  decideBlock,
  decideDelete,
  decideSaveAccount,
  eraseSentMessages,
  type AccountWrite,
} from '../../accounts/decisions.js';
import { settle, type Decision } from '../../decision.js';
import { toUser, type ShownUserRow, type UserRow } from '../rows.js';
import { prepareSearchIndexStatements, unindexMessage } from '../search/sqlite-index.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { AccountStorage } from './contract.js';
import { accountColumns, flag, toAccount, type AccountRow } from './rows.js';

type Statements = ReturnType<typeof prepare>;

/**
 * Profiles as other areas' transactions write and read them too (a support visitor's
 * claim, a group change's users): spread into their statements as well.
 */
export function prepareUserStatements(db: Database) {
  return {
    upsertUser: db.prepare<[UserRow & { now: number }], unknown>(`
      INSERT INTO users (id, name, avatar, created_at, updated_at)
      VALUES (@id, @name, @avatar, @now, @now)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
        updated_at = excluded.updated_at
      WHERE name IS NOT excluded.name OR avatar IS NOT excluded.avatar`),
    usersByIds: db.prepare<[string], ShownUserRow>(
      `SELECT id, name, avatar, bot, deleted_at FROM users WHERE id IN (SELECT value FROM json_each(?))`,
    ),
  };
}

function prepare(db: Database) {
  return {
    ...prepareUserStatements(db),
    // Deleted users cannot be found, so no new chat starts with them; anonymous visitors
    // exist for support only and are never listed.
    searchUsers: db.prepare<[{ query: string; excludeId: string; limit: number }], ShownUserRow>(`
      SELECT id, name, avatar, bot, deleted_at FROM users
      WHERE id <> @excludeId AND deleted_at IS NULL
        AND id NOT IN (SELECT id FROM support_visitors)
        AND (instr(im_fold(name), im_fold(@query)) > 0 OR instr(im_fold(id), im_fold(@query)) > 0)
      ORDER BY im_fold(name), id
      LIMIT @limit`),
    account: db.prepare<[string], AccountRow>(`SELECT ${accountColumns} FROM users WHERE id = ?`),
    saveAccount: db.prepare<
      [{ id: string; name: string; avatar: string | null; bot: number | null; roles: string | null; now: number }],
      unknown
    >(`
      INSERT INTO users (id, name, avatar, bot, roles, created_at, updated_at)
      VALUES (@id, @name, @avatar, coalesce(@bot, 0), coalesce(@roles, '[]'), @now, @now)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
        bot = coalesce(@bot, bot), roles = coalesce(@roles, roles), updated_at = excluded.updated_at`),
    setBlocked: db.prepare<[{ userId: string; blockedAt: number | null; now: number }], unknown>(
      `UPDATE users SET blocked_at = @blockedAt, updated_at = @now WHERE id = @userId`,
    ),
    markDeleted: db.prepare<[{ userId: string; name: string; deletedAt: number; now: number }], unknown>(`
      UPDATE users SET name = @name, avatar = NULL, roles = '[]', deleted_at = @deletedAt, updated_at = @now
      WHERE id = @userId`),
    dropPushSubscriptions: db.prepare<[string], unknown>(`DELETE FROM push_subscriptions WHERE user_id = ?`),
    sentMessages: db.prepare<[string], { conversation_id: string; seq: number; body: string }>(`
      SELECT conversation_id, seq, body FROM messages
      WHERE sender_id = ? AND type IN ('text', 'image', 'file', 'edit')`),
    eraseBody: db.prepare<[{ conversationId: string; seq: number; body: string; type: string }], unknown>(`
      UPDATE messages SET body = @body, type = @type, edited_at = NULL
      WHERE conversation_id = @conversationId AND seq = @seq`),
    // Quotes of their messages in other people's replies lose their excerpt.
    eraseQuotes: db.prepare<[string], unknown>(`
      UPDATE messages SET reply_to = json_set(reply_to, '$.type', 'recalled', '$.excerpt', '')
      WHERE reply_to IS NOT NULL AND json_extract(reply_to, '$.senderId') = ?`),
    uploadedKeys: db
      .prepare<[string], string>(`SELECT DISTINCT storage_key FROM files WHERE uploader_id = ?`)
      .pluck(),
    dropUploads: db.prepare<[string], unknown>(`DELETE FROM files WHERE uploader_id = ?`),
    keyInUse: db.prepare<[string], unknown>(`SELECT 1 FROM files WHERE storage_key = ? LIMIT 1`),
  };
}

function apply(sql: Statements, write: AccountWrite): void {
  switch (write.kind) {
    case 'saveAccount': {
      const roles = write.roles && JSON.stringify(write.roles);
      sql.saveAccount.run({ ...write.user, bot: flag(write.bot), roles, now: write.now });
      return;
    }
    case 'setBlocked':
      sql.setBlocked.run(write);
      return;
    case 'markDeleted':
      sql.markDeleted.run(write);
      return;
    case 'dropPushSubscriptions':
      sql.dropPushSubscriptions.run(write.userId);
  }
}

export function sqliteAccounts(connection: SqliteConnection): AccountStorage {
  const account = (sql: Statements, userId: string) => {
    const row = sql.account.get(userId);
    return row ? toAccount(row) : null;
  };
  /** In one write transaction: the stored account, the decision, its writes, the account after. */
  const change = async (userId: string, decide: (stored: UserAccount | null) => Decision<AccountWrite>) =>
    connection.write(prepare, (sql) => {
      for (const write of settle(decide(account(sql, userId))).writes) apply(sql, write);
      return account(sql, userId)!;
    });

  return {
    read: {
      async users(ids) {
        if (ids.length === 0) return [];
        return connection.run(prepare, (sql) => sql.usersByIds.all(JSON.stringify(ids)).map(toUser));
      },
      async search(query, options) {
        return connection.run(prepare, (sql) => sql.searchUsers.all({ query, ...options }).map(toUser));
      },
      async account(userId) {
        return connection.run(prepare, (sql) => account(sql, userId));
      },
    },
    write: {
      async upsertUser(user: User, now: number) {
        connection.run(prepare, (sql) => sql.upsertUser.run({ ...user, now }));
      },
      save: (input, now) => change(input.user.id, (stored) => decideSaveAccount(stored, input, now)),
      setBlocked: (userId, blocked, now) => change(userId, (stored) => decideBlock(stored, blocked, now)),
      markDeleted: (userId, now) => change(userId, (stored) => decideDelete(stored, now)),
      async eraseMessages(userId) {
        return connection.write(prepare, (sql) => {
          const index = connection.statements(prepareSearchIndexStatements);
          const sent = sql.sentMessages.all(userId).map((row) => ({
            conversationId: row.conversation_id,
            seq: row.seq,
            body: JSON.parse(row.body) as MessageBody,
          }));
          for (const { conversationId, seq, body } of eraseSentMessages(userId, sent)) {
            sql.eraseBody.run({ conversationId, seq, type: body.type, body: JSON.stringify(body) });
            unindexMessage(index, conversationId, seq);
          }
          sql.eraseQuotes.run(userId);
          const keys = sql.uploadedKeys.all(userId);
          sql.dropUploads.run(userId);
          return { orphanedStorageKeys: keys.filter((key) => !sql.keyInUse.get(key)) };
        });
      },
    },
  };
}
