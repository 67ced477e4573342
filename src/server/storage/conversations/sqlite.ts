/** The conversations area on SQLite: records, member views, the sync listing, member settings. */
import type { Database } from 'better-sqlite3';
import { decideMemberSettings, decideSingleConversation } from '../../conversations/decisions.js';
import { carryOut } from '../carry-out.js';
import { toConversation, type ConversationRow, type ConversationViewRow } from '../rows.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import { formatChangeCursor, parseChangeCursor } from './change-cursor.js';
import type { ConversationRecord, ConversationStorage } from './contract.js';
import { settingsColumns, settingsSelect, toSettingsSnapshot, type SettingsRow } from './settings-row.js';
import { changeVersion, conversationView } from './view-sql.js';

const view = conversationView('max');
const changeVersionOf = changeVersion('max');

function prepare(db: Database) {
  return {
    // Prepared once the schema is current, so read once: an incarnation's epoch never changes.
    epoch: db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'epoch'`).get()!.value,
    conversation: db.prepare<[string], ConversationRow>(
      `SELECT id, type, created_by, created_at, last_seq, updated_at FROM conversations WHERE id = ?`,
    ),
    memberIds: db
      .prepare<[string], string>(
        `SELECT user_id FROM conversation_members WHERE conversation_id = ? AND state = 'active' ORDER BY user_id`,
      )
      .pluck(),
    idsOf: db
      .prepare<[string], string>(
        `SELECT conversation_id FROM conversation_members WHERE user_id = ? AND state = 'active'`,
      )
      .pluck(),
    view: db.prepare<[string, string], ConversationViewRow>(`${view} WHERE m.conversation_id = ? AND m.user_id = ?`),
    // Empty conversations are listed to their creator only: the peer learns of a chat
    // when its first message arrives.
    changes: db.prepare<[{ userId: string; since: number; afterId: string | null; limit: number }], ConversationViewRow>(`
      ${view}
      WHERE m.user_id = @userId
        AND (${changeVersionOf} > @since
          OR (${changeVersionOf} = @since AND @afterId IS NOT NULL AND c.id > @afterId))
        AND (c.last_seq > 0 OR c.created_by = m.user_id)
      ORDER BY change_version, c.id
      LIMIT @limit`),
    insertSingle: db.prepare<[{ id: string; createdBy: string; now: number; version: number }], unknown>(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
      VALUES (@id, 'single', @createdBy, @now, 0, @now, @version, 2)`),
    insertMember: db.prepare<[string, string, number], unknown>(
      `INSERT INTO conversation_members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)`,
    ),
    settings: db.prepare<[string, string], SettingsRow>(`${settingsSelect} WHERE m.conversation_id = ? AND m.user_id = ?`),
    saveSettings: db.prepare<[...ReturnType<typeof settingsColumns>, number, string, string], unknown>(`
      UPDATE conversation_members
      SET pinned_at = ?, notifications_muted = ?, hidden_seq = ?, marked_unread = ?, version = ?
      WHERE conversation_id = ? AND user_id = ?`),
  };
}
type Statements = ReturnType<typeof prepare>;

function record(sql: Statements, row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    type: row.type,
    memberIds: sql.memberIds.all(row.id),
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    updatedAt: row.updated_at,
  };
}

export function sqliteConversations(connection: SqliteConnection): ConversationStorage {
  return {
    read: {
      async get(id) {
        return connection.run(prepare, (sql) => {
          const row = sql.conversation.get(id);
          return row ? record(sql, row) : null;
        });
      },
      async view(conversationId, userId) {
        return connection.run(prepare, (sql) => {
          const row = sql.view.get(conversationId, userId);
          return row ? toConversation(row) : null;
        });
      },
      async idsOf(userId) {
        return connection.run(prepare, (sql) => sql.idsOf.all(userId));
      },
      async memberIds(conversationId) {
        return connection.run(prepare, (sql) => sql.memberIds.all(conversationId));
      },
      async changes(userId, cursor, limit) {
        return connection.run(prepare, (sql) => {
          const { epoch } = sql;
          const { since, afterId, reset } = parseChangeCursor(cursor, epoch);
          const rows = sql.changes.all({ userId, since, afterId, limit: limit + 1 });
          const page = rows.slice(0, limit);
          const last = page.at(-1);
          return {
            conversations: page.map(toConversation),
            cursor: last ? formatChangeCursor(epoch, last.change_version, last.id) : formatChangeCursor(epoch, since, afterId),
            hasMore: rows.length > limit,
            reset,
          };
        });
      },
    },
    write: {
      async ensureSingle({ now, ...input }) {
        return connection.write(prepare, (sql) =>
          carryOut({
            load: () => sql.conversation.get(input.id) !== undefined,
            decide: (exists) => decideSingleConversation(exists, input, now),
            apply: (writes) => {
              for (const { input: single } of writes) {
                const version = connection.nextVersion();
                sql.insertSingle.run({ id: single.id, createdBy: single.createdBy, now, version });
                for (const memberId of single.memberIds) sql.insertMember.run(single.id, memberId, now);
              }
              return record(sql, sql.conversation.get(input.id)!);
            },
          }),
        );
      },
      async updateSettings(conversationId, userId, changes, now) {
        return connection.write(prepare, (sql) =>
          carryOut({
            load: () => toSettingsSnapshot(sql.settings.get(conversationId, userId)),
            decide: (snapshot) => decideMemberSettings(snapshot, changes, now),
            apply: (writes) => {
              for (const { settings } of writes) {
                const version = connection.nextVersion();
                sql.saveSettings.run(...settingsColumns(settings), version, conversationId, userId);
              }
              return toConversation(sql.view.get(conversationId, userId)!);
            },
          }),
        );
      },
    },
  };
}
