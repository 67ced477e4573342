import type { Database } from 'better-sqlite3';
import type { GroupRole, JoinPolicy } from '../../../protocol/index.js';
import {
  groupColumns,
  inviteColumns,
  memberColumns,
  type GroupRow,
  type InviteRow,
  type JoinRequestRow,
  type MemberPageRow,
  type MemberRow,
} from '../rows.js';

const usable = `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > @now)
  AND (max_uses IS NULL OR uses < max_uses)`;
// Members list: owner, admins, members, then by name as people read it, then id.
const memberRank = `CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;

export function prepareGroupStatements(db: Database) {
  return {
    group: db.prepare<[string], GroupRow>(`SELECT ${groupColumns} FROM conversations WHERE id = ?`),
    insertGroup: db.prepare<
      [
        {
          id: string;
          createdBy: string;
          now: number;
          version: number;
          name: string;
          avatar: string | null;
          description: string;
          announcement: string;
          joinPolicy: JoinPolicy;
        },
      ],
      unknown
    >(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version,
        name, avatar, description, announcement, join_policy, member_count)
      VALUES (@id, 'group', @createdBy, @now, 0, @now, @version,
        @name, @avatar, @description, @announcement, @joinPolicy, 0)`),
    saveGroup: db.prepare<[GroupRow], unknown>(`
      UPDATE conversations SET name = @name, avatar = @avatar, description = @description,
        announcement = @announcement, join_policy = @join_policy, muted_all = @muted_all,
        dismissed_at = @dismissed_at, member_count = @member_count
      WHERE id = @id`),

    member: db.prepare<[string, string], MemberRow>(
      `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = ? AND user_id = ?`,
    ),
    membersByIds: db.prepare<[string, string], MemberRow>(`
      SELECT ${memberColumns} FROM conversation_members
      WHERE conversation_id = ? AND user_id IN (SELECT value FROM json_each(?))`),
    activeMembers: db.prepare<[string], Pick<MemberRow, 'user_id' | 'role' | 'muted'>>(`
      SELECT user_id, role, muted FROM conversation_members
      WHERE conversation_id = ? AND state = 'active'`),
    // Joining (again) starts with everything before the joining event read.
    activateMember: db.prepare<
      [
        {
          conversationId: string;
          userId: string;
          role: GroupRole;
          seq: number;
          now: number;
          version: number;
        },
      ],
      unknown
    >(`
      INSERT INTO conversation_members (conversation_id, user_id, read_seq, delivered_seq,
        version, role, muted, state, joined_at, left_seq)
      VALUES (@conversationId, @userId, @seq, @seq, @version, @role, 0, 'active', @now, NULL)
      ON CONFLICT (conversation_id, user_id) DO UPDATE SET
        read_seq = max(read_seq, excluded.read_seq),
        delivered_seq = max(delivered_seq, excluded.read_seq), version = excluded.version,
        role = excluded.role, muted = 0, state = 'active', joined_at = excluded.joined_at,
        left_seq = NULL`),
    saveMember: db.prepare<
      [MemberRow & { conversation_id: string; version: number }],
      unknown
    >(`
      UPDATE conversation_members SET role = @role, muted = @muted, state = @state,
        left_seq = @left_seq, version = @version
      WHERE conversation_id = @conversation_id AND user_id = @user_id`),
    memberPage: db.prepare<
      [{ conversationId: string; rank: number; name: string; id: string; limit: number }],
      MemberPageRow
    >(`
      SELECT m.user_id, m.role, m.muted, m.joined_at, u.name, u.avatar,
        ${memberRank} AS rank, im_fold(u.name) AS sort_name
      FROM conversation_members m JOIN users u ON u.id = m.user_id
      WHERE m.conversation_id = @conversationId AND m.state = 'active'
        AND (${memberRank}, im_fold(u.name), m.user_id) > (@rank, @name, @id)
      ORDER BY rank, sort_name, m.user_id
      LIMIT @limit`),
    foldedUserName: db
      .prepare<[string], string>(`SELECT im_fold(name) FROM users WHERE id = ?`)
      .pluck(),

    insertInvite: db.prepare<[InviteRow], unknown>(`
      INSERT INTO invites (${inviteColumns})
      VALUES (@code, @conversation_id, @created_by, @created_at, @expires_at, @max_uses, @uses,
        @revoked_at)`),
    invite: db.prepare<[string], InviteRow>(`SELECT ${inviteColumns} FROM invites WHERE code = ?`),
    usableInvites: db.prepare<[{ conversationId: string; now: number }], InviteRow>(`
      SELECT ${inviteColumns} FROM invites
      WHERE conversation_id = @conversationId AND ${usable}
      ORDER BY created_at DESC, code`),
    revokeInvite: db.prepare<[{ code: string; now: number }], unknown>(
      `UPDATE invites SET revoked_at = @now WHERE code = @code AND revoked_at IS NULL`,
    ),
    useInvite: db.prepare<[string], unknown>(`UPDATE invites SET uses = uses + 1 WHERE code = ?`),

    joinRequest: db.prepare<[string, string], JoinRequestRow>(`
      SELECT conversation_id, user_id, requested_at FROM join_requests
      WHERE conversation_id = ? AND user_id = ?`),
    joinRequests: db.prepare<[string], JoinRequestRow>(`
      SELECT conversation_id, user_id, requested_at FROM join_requests
      WHERE conversation_id = ? ORDER BY requested_at, user_id`),
    insertJoinRequest: db.prepare<[JoinRequestRow & { invite_code: string }], unknown>(`
      INSERT INTO join_requests (conversation_id, user_id, invite_code, requested_at)
      VALUES (@conversation_id, @user_id, @invite_code, @requested_at)`),
    closeJoinRequests: db.prepare<[string, string], unknown>(`
      DELETE FROM join_requests
      WHERE conversation_id = ? AND user_id IN (SELECT value FROM json_each(?))`),
    closeAllJoinRequests: db.prepare<[string], unknown>(
      `DELETE FROM join_requests WHERE conversation_id = ?`,
    ),
  };
}
