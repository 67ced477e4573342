/** The conversations area on PostgreSQL: records, member views, the sync listing, member settings. */
import type { Conversation } from '../../../protocol/index.js';
import { decideMemberSettings, decideSingleConversation } from '../../conversations/decisions.js';
import { carryOutAsync } from '../carry-out.js';
import type { PgDatabase, Queryable } from '../postgres/pg-database.js';
import { toConversation, type ConversationRow, type ConversationViewRow } from '../rows.js';
import { formatChangeCursor, parseChangeCursor } from './change-cursor.js';
import type { ConversationRecord, ConversationStorage } from './contract.js';
import { settingsColumns, settingsSelect, toSettingsSnapshot, type SettingsRow } from './settings-row.js';
import { changeVersion, conversationView } from './view-sql.js';

const view = conversationView('greatest');
const changeVersionOf = changeVersion('greatest');

export function postgresConversations(db: PgDatabase): ConversationStorage {
  // An incarnation's epoch never changes: read once.
  let epoch: Promise<string> | null = null;
  const epochOf = () => {
    epoch ??= db.row<{ value: string }>(`SELECT value FROM meta WHERE key = 'epoch'`).then(
      (row) => row!.value,
      (error: unknown) => {
        epoch = null;
        throw error;
      },
    );
    return epoch;
  };
  return {
    read: {
      get: (id) => get(db, id),
      view: (conversationId, userId) => viewOf(db, conversationId, userId),
      async idsOf(userId) {
        const rows = await db.rows<{ conversation_id: string }>(
          `SELECT conversation_id FROM conversation_members WHERE user_id = $1 AND state = 'active'`,
          [userId],
        );
        return rows.map((row) => row.conversation_id);
      },
      async memberIds(conversationId) {
        const rows = await db.rows<{ user_id: string }>(
          `SELECT user_id FROM conversation_members
           WHERE conversation_id = $1 AND state = 'active' ORDER BY user_id`,
          [conversationId],
        );
        return rows.map((row) => row.user_id);
      },
      // Empty conversations are listed to their creator only: the peer learns of a chat
      // when its first message arrives.
      async changes(userId, cursor, limit) {
        const current = await epochOf();
        const { since, afterId, reset } = parseChangeCursor(cursor, current);
        const rows = await db.rows<ConversationViewRow>(
          `${view}
           WHERE m.user_id = $1
             AND (${changeVersionOf} > $2
               OR (${changeVersionOf} = $2 AND $4::text IS NOT NULL AND c.id COLLATE "C" > $4::text))
             AND (c.last_seq > 0 OR c.created_by = m.user_id)
           ORDER BY change_version, c.id COLLATE "C"
           LIMIT $3`,
          [userId, since, limit + 1, afterId],
        );
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          conversations: page.map(toConversation),
          cursor: last ? formatChangeCursor(current, last.change_version, last.id) : formatChangeCursor(current, since, afterId),
          hasMore: rows.length > limit,
          reset,
        };
      },
    },
    write: {
      ensureSingle: ({ now, ...input }) =>
        db.transaction((tx) =>
          carryOutAsync({
            load: async () => (await tx.row(`SELECT 1 FROM conversations WHERE id = $1`, [input.id])) !== undefined,
            decide: (exists) => decideSingleConversation(exists, input, now),
            apply: async (writes) => {
              for (const { input: single } of writes) {
                // A concurrent creator's insert makes this one wait for its commit, then do nothing.
                const created = await tx.run(
                  `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, member_count)
                   VALUES ($1, 'single', $2, $3, 0, $3, 2) ON CONFLICT (id) DO NOTHING`,
                  [single.id, single.createdBy, now],
                );
                if (created === 0) continue;
                await tx.run(
                  `INSERT INTO conversation_members (conversation_id, user_id, joined_at)
                   SELECT $1, user_id, $3 FROM unnest($2::text[]) AS member (user_id)`,
                  [single.id, single.memberIds, now],
                );
                tx.touchConversation(single.id);
              }
              return (await get(tx, input.id))!;
            },
          }),
        ),
      updateSettings: (conversationId, userId, changes, now) =>
        db.transaction((tx) =>
          carryOutAsync({
            load: async () =>
              toSettingsSnapshot(
                await tx.row<SettingsRow>(
                  `${settingsSelect} WHERE m.conversation_id = $1 AND m.user_id = $2 FOR UPDATE OF m`,
                  [conversationId, userId],
                ),
              ),
            decide: (snapshot) => decideMemberSettings(snapshot, changes, now),
            apply: async (writes) => {
              for (const { settings } of writes) {
                await tx.run(
                  `UPDATE conversation_members
                   SET pinned_at = $1, notifications_muted = $2, hidden_seq = $3, marked_unread = $4
                   WHERE conversation_id = $5 AND user_id = $6`,
                  [...settingsColumns(settings), conversationId, userId],
                );
                tx.touchMember(conversationId, userId);
              }
              return (await viewOf(tx, conversationId, userId))!;
            },
          }),
        ),
    },
  };
}

async function get(db: Queryable, id: string): Promise<ConversationRecord | null> {
  const row = await db.row<ConversationRow & { member_ids: string[] }>(
    `SELECT id, type, created_by, created_at, last_seq, updated_at,
       array(SELECT user_id FROM conversation_members
         WHERE conversation_id = c.id AND state = 'active' ORDER BY user_id) AS member_ids
     FROM conversations c WHERE id = $1`,
    [id],
  );
  if (!row) return null;
  return {
    id: row.id,
    type: row.type,
    memberIds: row.member_ids,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    updatedAt: row.updated_at,
  };
}

async function viewOf(db: Queryable, conversationId: string, userId: string): Promise<Conversation | null> {
  const row = await db.row<ConversationViewRow>(`${view} WHERE m.conversation_id = $1 AND m.user_id = $2`, [
    conversationId,
    userId,
  ]);
  return row ? toConversation(row) : null;
}
