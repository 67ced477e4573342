/** The conversations area on either backend: records, member views, the sync listing, member settings. */
import type { Conversation } from '../../../protocol/index.js';
import { decideMemberSettings, decideSingleConversation } from '../../conversations/decisions.js';
import { carryOut } from '../carry-out.js';
import { toConversation, type ConversationRow, type ConversationViewRow } from '../rows.js';
import type { PlayState } from '../../../protocol/index.js';
import { inList, jsonArrayOf, listRows, lock, onPostgres, sql, type SqlDatabase, type SqlQueryable } from '../sql/sql.js';
import { formatChangeCursor, parseChangeCursor } from './change-cursor.js';
import type { ConversationRecord, ConversationStorage } from './contract.js';
import { settingsColumns, settingsSelect, toSettingsSnapshot, type SettingsRow } from './settings-row.js';
import { changeVersion, conversationView } from './view-sql.js';

// Ids in byte order on both: the cursor's last id compares the same way.
const byBytes = onPostgres(' COLLATE "C"');

const record = sql`
  SELECT id, type, created_by, created_at, last_seq, updated_at,
    (SELECT ${jsonArrayOf('user_id ORDER BY user_id')} FROM conversation_members
      WHERE conversation_id = c.id AND state = 'active') AS member_ids
  FROM conversations c WHERE id = $1`;

// Empty conversations are listed to their creator only: the peer learns of a chat when its
// first message arrives.
const changes = sql`
  ${conversationView}
  WHERE m.user_id = $1
    AND (${changeVersion} > $2
      OR (${changeVersion} = $2 AND CAST($4 AS text) IS NOT NULL AND c.id${byBytes} > $4))
    AND (c.last_seq > 0 OR c.created_by = m.user_id)
  ORDER BY change_version, c.id${byBytes}
  LIMIT $3`;

// Plays stamped at the cursor's version may be listed again (a page can end among the
// conversations of one version): applying a play state twice changes nothing.
const changedPlays = sql`
  SELECT p.conversation_id, p.seq, m.sender_id,
    (SELECT count(*) FROM voice_plays a WHERE a.conversation_id = p.conversation_id AND a.seq = p.seq) AS played_count,
    (SELECT count(*) FROM voice_plays b
      WHERE b.conversation_id = p.conversation_id AND b.seq = p.seq AND b.user_id = $1) AS mine
  FROM (SELECT DISTINCT conversation_id, seq FROM voice_plays
    WHERE conversation_id ${inList(2)} AND version >= $3) AS p
  JOIN messages m ON m.conversation_id = p.conversation_id AND m.seq = p.seq
  ORDER BY p.conversation_id, p.seq`;

/** The play states that changed for `userId` after version `since` in these conversations. */
async function playsChanged(db: SqlQueryable, userId: string, conversationIds: string[], since: number): Promise<PlayState[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db.rows<{ conversation_id: string; seq: number; sender_id: string; played_count: number; mine: number }>(
    changedPlays,
    [userId, conversationIds, since],
  );
  const plays: PlayState[] = [];
  for (const row of rows) {
    const { conversation_id: conversationId, seq } = row;
    if (row.sender_id === userId) plays.push({ conversationId, seq, played: false, playedCount: Number(row.played_count) });
    else if (Number(row.mine) > 0) plays.push({ conversationId, seq, played: true, playedCount: 0 });
  }
  return plays;
}

// A concurrent creator's insert makes this one wait for its commit, then do nothing.
const insertSingle = `
  INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, member_count)
  VALUES ($1, 'single', $2, $3, 0, $3, 0, 2) ON CONFLICT (id) DO NOTHING`;

const insertMembers = sql`
  INSERT INTO conversation_members (conversation_id, user_id, joined_at)
  SELECT $1, member.user_id, $3 FROM ${listRows(2, 'member', 'user_id')}`;

const memberView = sql`${conversationView} WHERE m.conversation_id = $1 AND m.user_id = $2`;

const settings = sql`${settingsSelect} WHERE m.conversation_id = $1 AND m.user_id = $2 ${lock('FOR UPDATE OF m')}`;

async function get(db: SqlQueryable, id: string): Promise<ConversationRecord | null> {
  const row = await db.row<ConversationRow & { member_ids: string }>(record, [id]);
  if (!row) return null;
  return {
    id: row.id,
    type: row.type,
    memberIds: JSON.parse(row.member_ids) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    updatedAt: row.updated_at,
  };
}

async function viewOf(db: SqlQueryable, conversationId: string, userId: string): Promise<Conversation | null> {
  const row = await db.row<ConversationViewRow>(memberView, [conversationId, userId]);
  return row ? toConversation(row) : null;
}

export function sqlConversations(db: SqlDatabase): ConversationStorage {
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
      async changes(userId, cursor, limit) {
        const current = await epochOf();
        const { since, afterId, reset } = parseChangeCursor(cursor, current);
        const rows = await db.rows<ConversationViewRow>(changes, [userId, since, limit + 1, afterId]);
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        // A first or reset listing: the client has no messages yet, history brings their state.
        const full = cursor === null || reset;
        return {
          conversations: page.map(toConversation),
          cursor: last ? formatChangeCursor(current, last.change_version, last.id) : formatChangeCursor(current, since, afterId),
          hasMore: rows.length > limit,
          reset,
          plays: full ? [] : await playsChanged(db, userId, page.map((row) => row.id), since),
        };
      },
    },
    write: {
      ensureSingle: ({ now, ...input }) =>
        db.transaction((tx) =>
          carryOut({
            load: async () => (await tx.row(`SELECT 1 FROM conversations WHERE id = $1`, [input.id])) !== undefined,
            decide: (exists) => decideSingleConversation(exists, input, now),
            apply: async (writes) => {
              for (const { input: single } of writes) {
                if ((await tx.run(insertSingle, [single.id, single.createdBy, now])) === 0) continue;
                await tx.run(insertMembers, [single.id, single.memberIds, now]);
                tx.touchConversation(single.id);
              }
              return (await get(tx, input.id))!;
            },
          }),
        ),
      updateSettings: (conversationId, userId, changes, now) =>
        db.transaction((tx) =>
          carryOut({
            load: async () => toSettingsSnapshot(await tx.row<SettingsRow>(settings, [conversationId, userId])),
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
