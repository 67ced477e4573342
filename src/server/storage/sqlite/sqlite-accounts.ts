/** User accounts on SQLite: the account columns of `users` (migration 5). */
import type { Database } from 'better-sqlite3';
import { CommandError } from '../../errors.js';
import type { ErasedUserData, SaveUserAccountInput, UserAccount } from '../user-account-storage.js';
import { accountColumns, deletedUserName, toAccount, type AccountRow } from '../account-rows.js';
import { unindexMessage } from './sqlite-search.js';
import type { Statements } from './statements.js';



export function prepareAccountStatements(db: Database) {
  return {
    account: db.prepare<[string], AccountRow>(`SELECT ${accountColumns} FROM users WHERE id = ?`),
    saveAccount: db.prepare<
      [{ id: string; name: string; avatar: string | null; bot: number | null; roles: string | null; now: number }],
      unknown
    >(`
      INSERT INTO users (id, name, avatar, bot, roles, created_at, updated_at)
      VALUES (@id, @name, @avatar, coalesce(@bot, 0), coalesce(@roles, '[]'), @now, @now)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, avatar = excluded.avatar,
        bot = coalesce(@bot, bot), roles = coalesce(@roles, roles), updated_at = excluded.updated_at`),
    setBlocked: db.prepare<[{ id: string; blockedAt: number | null; now: number }], unknown>(`
      UPDATE users SET blocked_at = CASE WHEN @blockedAt IS NULL THEN NULL
          ELSE coalesce(blocked_at, @blockedAt) END,
        updated_at = @now
      WHERE id = @id`),
    markDeleted: db.prepare<[{ id: string; name: string; now: number }], unknown>(`
      UPDATE users SET name = @name, avatar = NULL, roles = '[]', deleted_at = coalesce(deleted_at, @now),
        updated_at = @now
      WHERE id = @id`),
    dropPushSubscriptions: db.prepare<[string], unknown>(`DELETE FROM push_subscriptions WHERE user_id = ?`),
    sentMessages: db.prepare<[string], { conversation_id: string; seq: number; type: string; body: string }>(`
      SELECT conversation_id, seq, type, body FROM messages
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


function existing(sql: Statements, userId: string): AccountRow {
  const row = sql.account.get(userId);
  if (!row) throw new CommandError('not_found', 'no user with this id');
  return row;
}

function refuseDeleted(row: AccountRow | undefined): void {
  if (row?.deleted_at != null) throw new CommandError('user_deleted', 'this user was deleted');
}

export function saveUserAccount(sql: Statements, input: SaveUserAccountInput, now: number): UserAccount {
  refuseDeleted(sql.account.get(input.user.id));
  const roles = input.roles === undefined ? null : JSON.stringify([...new Set(input.roles)].sort());
  const bot = input.bot === undefined ? null : input.bot ? 1 : 0;
  sql.saveAccount.run({ ...input.user, bot, roles, now });
  return toAccount(existing(sql, input.user.id));
}

export function setUserBlocked(sql: Statements, userId: string, blocked: boolean, now: number): UserAccount {
  refuseDeleted(existing(sql, userId));
  sql.setBlocked.run({ id: userId, blockedAt: blocked ? now : null, now });
  return toAccount(existing(sql, userId));
}

export function markUserDeleted(sql: Statements, userId: string, now: number): UserAccount {
  existing(sql, userId);
  sql.markDeleted.run({ id: userId, name: deletedUserName, now });
  sql.dropPushSubscriptions.run(userId);
  return toAccount(existing(sql, userId));
}

export function eraseUserMessages(sql: Statements, userId: string): ErasedUserData {
  for (const row of sql.sentMessages.all(userId)) {
    const conversationId = row.conversation_id;
    // An edit event carries the new text: it becomes a recall of its target.
    const erased =
      row.type === 'edit'
        ? { type: 'recall', body: { type: 'recall', targetSeq: (JSON.parse(row.body) as { targetSeq: number }).targetSeq } }
        : { type: 'recalled', body: { type: 'recalled', by: userId } };
    sql.eraseBody.run({ conversationId, seq: row.seq, type: erased.type, body: JSON.stringify(erased.body) });
    if (row.type === 'text') unindexMessage(sql, conversationId, row.seq);
  }
  sql.eraseQuotes.run(userId);
  const keys = sql.uploadedKeys.all(userId);
  sql.dropUploads.run(userId);
  return { orphanedStorageKeys: keys.filter((key) => !sql.keyInUse.get(key)) };
}
