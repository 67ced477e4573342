/**
 * The groups area on either backend: the snapshot loads and the writes they apply. A
 * command locks its group's row before it reads anything else (on PostgreSQL; a SQLite
 * write transaction holds the whole database), so the changes of one group and the
 * messages appended to it happen one after the other.
 */
import type { ConversationType, GroupRole, Message } from '../../../protocol/index.js';
import { settle } from '../../decision.js';
import { decidePreview, toInvite } from '../../groups/invite-decisions.js';
import { decideConfirmAnnouncement, type AnnouncementSnapshot } from '../../groups/announcements.js';
import type { GroupSnapshot, GroupWrite, MembershipState } from '../../groups/model.js';
import { groupColumns, groupFields, memberColumns, type GroupRow, type MemberRow } from '../rows.js';
import { greatest, inList, listRows, lock, sql, type DialectSql, type SqlDatabase, type SqlQueryable, type SqlTransaction } from '../sql/sql.js';
import { recordSystemEvent } from '../timeline.js';
import { groupWrites, joinScope, runCommand, type SnapshotScope, type WriteContext } from './commands.js';
import { blockedWith } from '../accounts/sql.js';
import type { GroupStorage } from './contract.js';
import { decodeMemberCursor, invalidMemberCursor, toMemberPage, type MemberPageRow } from './member-page.js';
import {
  inviteColumns,
  memberRank,
  toAccess,
  toGroupRow,
  toGroupState,
  toInviteState,
  toJoinRequest,
  toMembership,
  toMemberRow,
  toMemberState,
  type InviteRow,
  type JoinRequestRow,
} from './rows.js';

const groupById = `SELECT ${groupColumns} FROM conversations WHERE id = $1`;
const groupOfInvite = `SELECT ${groupColumns} FROM conversations WHERE id = (SELECT conversation_id FROM invites WHERE code = $1)`;
const lockedGroupById = sql`${groupById} ${lock()}`;
const lockedGroupOfInvite = sql`${groupOfInvite} ${lock()}`;
const inviteByCode = `SELECT ${inviteColumns} FROM invites WHERE code = $1`;
const membersOf = sql`SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = $1 AND user_id ${inList(2)}`;
const existingUsers = sql`SELECT id FROM users WHERE id ${inList(1)}`;
const requestersOf = sql`SELECT user_id FROM join_requests WHERE conversation_id = $1 AND user_id ${inList(2)}`;
const bannedOf = sql`SELECT user_id FROM group_bans WHERE conversation_id = $1 AND user_id ${inList(2)}`;
const bansOfGroup = `
  SELECT user_id, banned_by, banned_at FROM group_bans WHERE conversation_id = $1 ORDER BY banned_at DESC, user_id`;
/** Usable links: not revoked, expired or used up. */
const usableInvites = `
  SELECT ${inviteColumns} FROM invites
  WHERE conversation_id = $1 AND revoked_at IS NULL
    AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)
  ORDER BY created_at DESC, code`;

// In one statement, so the group and its members agree. A single chat's two members
// never change: a block between them, either way, is a block from one member to another.
const access = `
  SELECT c.type, c.dismissed_at, c.muted_all, m.user_id, m.role, m.muted,
    CASE WHEN c.type = 'single' AND EXISTS (
      SELECT 1 FROM user_blocks b
      WHERE b.blocker_id IN (SELECT user_id FROM conversation_members WHERE conversation_id = c.id)
        AND b.blocked_id IN (SELECT user_id FROM conversation_members WHERE conversation_id = c.id)
    ) THEN 1 ELSE 0 END AS blocked
  FROM conversations c
  LEFT JOIN conversation_members m ON m.conversation_id = c.id AND m.state = 'active'
  WHERE c.id = $1`;
const membership = `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = $1 AND user_id = $2`;
// Names sort folded as JavaScript folds them: SQLite folds as it reads, PostgreSQL keeps the folded name.
const foldedName: DialectSql = { sqlite: 'im_fold(u.name)', postgres: 'u.name_folded' };
const foldedUserName = sql`SELECT ${foldedName} AS name FROM users u WHERE u.id = $1`;
const memberPage = sql`
  SELECT m.user_id, m.role, m.muted, m.joined_at, u.name, u.avatar,
    ${memberRank} AS rank, ${foldedName} AS sort_name
  FROM conversation_members m JOIN users u ON u.id = m.user_id
  WHERE m.conversation_id = $1 AND m.state = 'active'
    AND (${memberRank}, ${foldedName}, m.user_id) > ${{
      sqlite: '($2, $3, $4)',
      postgres: '($2::int, $3::text COLLATE "C", $4::text COLLATE "C")',
    }}
  ORDER BY rank, sort_name, m.user_id
  LIMIT $5`;
const joinRequestsOfGroup = `
  SELECT conversation_id, user_id, requested_at FROM join_requests
  WHERE conversation_id = $1 ORDER BY requested_at, user_id`;

// The change version is stamped when the transaction commits.
const groupValues = (group: GroupRow) => groupFields.map((field) => group[field]);
const insertGroup = `
  INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version, ${groupFields.join(', ')})
  VALUES ($1, 'group', $2, $3, 0, $3, 0, ${groupFields.map((_, i) => `$${i + 4}`).join(', ')})`;
// Joining (again) starts with everything before the joining event read.
const activateMembers = sql`
  INSERT INTO conversation_members (conversation_id, user_id, read_seq, delivered_seq, role,
    muted, state, joined_at, left_seq)
  SELECT $1, user_id, $3, $3, $4, 0, 'active', $5, NULL FROM ${listRows(2, 'joining', 'user_id')}
  WHERE true
  ON CONFLICT (conversation_id, user_id) DO UPDATE SET
    read_seq = ${greatest}(conversation_members.read_seq, excluded.read_seq),
    delivered_seq = ${greatest}(conversation_members.delivered_seq, excluded.read_seq),
    role = excluded.role, muted = 0, state = 'active', joined_at = excluded.joined_at,
    left_seq = NULL`;
const saveMember = `
  UPDATE conversation_members SET role = $3, muted = $4, state = $5, left_seq = $6
  WHERE conversation_id = $1 AND user_id = $2`;
const saveGroup = `
  UPDATE conversations SET ${groupFields.map((field, i) => `${field} = $${i + 2}`).join(', ')}
  WHERE id = $1`;
const announcementOf = sql`
  SELECT c.type, c.announcement, c.announcement_seq, c.dismissed_at, c.member_count,
    m.state, m.announcement_confirmed_seq
  FROM conversations c
  LEFT JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $2
  WHERE c.id = $1 ${lock('FOR UPDATE OF c')}`;
const announcementStanding = `
  SELECT c.announcement, c.announcement_seq, m.user_id, m.announcement_confirmed_seq
  FROM conversations c
  LEFT JOIN conversation_members m ON m.conversation_id = c.id AND m.state = 'active'
  WHERE c.id = $1 ORDER BY m.user_id`;
const confirmedCount = `
  SELECT count(*) AS count FROM conversation_members
  WHERE conversation_id = $1 AND state = 'active' AND announcement_confirmed_seq = $2`;
const confirmAnnouncement = `
  UPDATE conversation_members SET announcement_confirmed_seq = $3 WHERE conversation_id = $1 AND user_id = $2`;
const closeJoinRequests = sql`DELETE FROM join_requests WHERE conversation_id = $1 AND user_id ${inList(2)}`;
const closeAllJoinRequests = 'DELETE FROM join_requests WHERE conversation_id = $1';
const insertInvite = `INSERT INTO invites (${inviteColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
const revokeInvite = 'UPDATE invites SET revoked_at = $2 WHERE code = $1';
const useInvite = 'UPDATE invites SET uses = uses + 1 WHERE code = $1';
const insertJoinRequest = `
  INSERT INTO join_requests (conversation_id, user_id, invite_code, requested_at) VALUES ($1, $2, $3, $4)`;

type UserIdRow = { user_id: string };

/** Loads a command's snapshot; inside a write transaction the group's row is locked first. */
async function loadSnapshot(db: SqlQueryable, scope: SnapshotScope, locked: boolean): Promise<GroupSnapshot> {
  const group =
    scope.conversationId !== undefined
      ? await db.row<GroupRow>(locked ? lockedGroupById : groupById, [scope.conversationId])
      : await db.row<GroupRow>(locked ? lockedGroupOfInvite : groupOfInvite, [scope.inviteCode]);
  const id = group?.id ?? scope.conversationId;
  const invite = scope.inviteCode === undefined ? undefined : await db.row<InviteRow>(inviteByCode, [scope.inviteCode]);
  const members =
    id === undefined || scope.memberIds.length === 0 ? [] : await db.rows<MemberRow>(membersOf, [id, scope.memberIds]);
  const users = scope.userIds?.length ? await db.rows<{ id: string }>(existingUsers, [scope.userIds]) : [];
  const requesters =
    id === undefined || !scope.requesterIds
      ? []
      : await db.rows<UserIdRow>(requestersOf, [id, scope.requesterIds]);
  const banned = id === undefined || scope.memberIds.length === 0 ? [] : await db.rows<UserIdRow>(bannedOf, [id, scope.memberIds]);
  const blocked =
    scope.blocksOf === undefined || !scope.userIds?.length
      ? []
      : await db.rows<UserIdRow>(blockedWith, [scope.blocksOf, scope.userIds]);
  const usable =
    id === undefined || scope.usableInvitesAt === undefined
      ? []
      : await db.rows<InviteRow>(usableInvites, [id, scope.usableInvitesAt]);
  return {
    group: group ? toGroupState(group) : null,
    members: new Map(members.map((row) => [row.user_id, toMemberState(row)])),
    existingUserIds: new Set(users.map((user) => user.id)),
    invite: invite ? toInviteState(invite) : null,
    requesterIds: new Set(requesters.map((row) => row.user_id)),
    usableInvites: usable.length,
    bannedIds: new Set(banned.map((row) => row.user_id)),
    blockedWithActor: new Set(blocked.map((row) => row.user_id)),
  };
}

/** Applies one write with one statement of its kind; a recorded event comes back with its seq. */
async function apply(tx: SqlTransaction, write: GroupWrite, context: WriteContext): Promise<Message | undefined> {
  const { conversationId, now, lastSeq } = context;
  switch (write.kind) {
    case 'createGroup': {
      const group = toGroupRow(write.group);
      await tx.run(insertGroup, [group.id, write.createdBy, write.createdAt, ...groupValues(group)]);
      tx.touchConversation(group.id);
      return;
    }
    case 'recordEvent':
      return recordSystemEvent(tx, context, write.senderId, write.event);
    case 'activateMembers':
      await tx.run(activateMembers, [conversationId, write.userIds, lastSeq, write.role, now]);
      for (const userId of write.userIds) tx.touchMember(conversationId, userId);
      return;
    case 'saveMember': {
      const member = toMemberRow(write.member, lastSeq);
      await tx.run(saveMember, [conversationId, member.user_id, member.role, member.muted, member.state, member.left_seq]);
      tx.touchMember(conversationId, member.user_id);
      return;
    }
    case 'saveGroup': {
      const group = toGroupRow(write.group);
      await tx.run(saveGroup, [group.id, ...groupValues(group)]);
      return;
    }
    case 'markAnnouncement':
      await tx.run('UPDATE conversations SET announcement_seq = $2 WHERE id = $1', [conversationId, lastSeq]);
      await tx.run(confirmAnnouncement, [conversationId, write.authorId, lastSeq]);
      tx.touchMember(conversationId, write.authorId);
      return;
    case 'closeJoinRequests':
      if (write.userIds === 'all') await tx.run(closeAllJoinRequests, [conversationId]);
      else await tx.run(closeJoinRequests, [conversationId, write.userIds]);
      return;
    case 'createInvite': {
      const invite = write.invite;
      await tx.run(insertInvite, [
        invite.code,
        invite.conversationId,
        invite.createdBy,
        invite.createdAt,
        invite.expiresAt,
        invite.maxUses,
        invite.uses,
        invite.revokedAt,
      ]);
      return;
    }
    case 'revokeInvite':
      await tx.run(revokeInvite, [write.code, write.at]);
      return;
    case 'useInvite':
      await tx.run(useInvite, [write.code]);
      return;
    case 'fileJoinRequest': {
      const { request } = write;
      await tx.run(insertJoinRequest, [request.conversationId, request.userId, write.inviteCode, request.requestedAt]);
      return;
    }
    case 'ban':
      await tx.run('INSERT INTO group_bans (conversation_id, user_id, banned_by, banned_at) VALUES ($1, $2, $3, $4)', [
        conversationId,
        write.userId,
        write.bannedBy,
        write.at,
      ]);
      return;
    case 'liftBan':
      await tx.run('DELETE FROM group_bans WHERE conversation_id = $1 AND user_id = $2', [conversationId, write.userId]);
      return;
  }
}

export function sqlGroups(db: SqlDatabase): GroupStorage {
  return {
    read: {
      async getConversationAccess(conversationId) {
        const rows = await db.rows<{
          type: ConversationType;
          dismissed_at: number | null;
          muted_all: number;
          blocked: number;
          user_id: string | null;
          role: GroupRole;
          muted: number;
        }>(access, [conversationId]);
        const group = rows[0];
        if (!group) return null;
        return toAccess(group, rows.filter((row): row is typeof row & { user_id: string } => row.user_id !== null));
      },
      async getMembership(conversationId, userId) {
        const row = await db.row<MemberRow>(membership, [conversationId, userId]);
        return row ? toMembership(row) : null;
      },
      async listMembers(conversationId, page) {
        let after = { rank: -1, name: '', id: '' };
        if (page.cursor !== null) {
          const { rank, id } = decodeMemberCursor(page.cursor);
          const user = await db.row<{ name: string }>(foldedUserName, [id]);
          if (!user) throw invalidMemberCursor();
          after = { rank, name: user.name, id };
        }
        const rows = await db.rows<MemberPageRow>(memberPage, [conversationId, after.rank, after.name, after.id, page.limit + 1]);
        return toMemberPage(rows, page.limit);
      },
      async listInvites(conversationId, now) {
        return (await db.rows<InviteRow>(usableInvites, [conversationId, now])).map(toInviteState).map(toInvite);
      },
      async previewInvite(code, userId, now) {
        const snapshot = await loadSnapshot(db, joinScope(code, userId), false);
        return settle(decidePreview(snapshot, { userId }, now)).result;
      },
      async listJoinRequests(conversationId) {
        return (await db.rows<JoinRequestRow>(joinRequestsOfGroup, [conversationId])).map(toJoinRequest);
      },
      async announcementStanding(conversationId) {
        const rows = await db.rows<{
          announcement: string;
          announcement_seq: number;
          user_id: string | null;
          announcement_confirmed_seq: number | null;
        }>(announcementStanding, [conversationId]);
        const group = rows[0];
        if (!group) return null;
        return {
          announcement: group.announcement,
          announcementSeq: group.announcement_seq,
          members: rows.flatMap((row) =>
            row.user_id === null ? [] : [{ userId: row.user_id, confirmedSeq: row.announcement_confirmed_seq ?? 0 }],
          ),
        };
      },
      async listBans(conversationId) {
        const rows = await db.rows<{ user_id: string; banned_by: string; banned_at: number }>(bansOfGroup, [conversationId]);
        return rows.map((row) => ({ userId: row.user_id, bannedBy: row.banned_by, bannedAt: row.banned_at }));
      },
    },
    write: {
      ...groupWrites((command) =>
        db.transaction((tx) =>
          runCommand(
            (scope) => loadSnapshot(tx, scope, true),
            (write, context) => apply(tx, write, context),
            command,
          ),
        ),
      ),
      confirmAnnouncement: ({ conversationId, userId, announcementSeq }) =>
        db.transaction(async (tx) => {
          const row = await tx.row<AnnouncementRow>(announcementOf, [conversationId, userId]);
          const { writes, result } = settle(decideConfirmAnnouncement(toAnnouncementSnapshot(row), { userId, announcementSeq }));
          for (const write of writes) {
            await tx.run(confirmAnnouncement, [conversationId, write.userId, write.announcementSeq]);
            tx.touchMember(conversationId, write.userId);
          }
          const counted = await tx.row<{ count: number }>(confirmedCount, [conversationId, announcementSeq]);
          return {
            ...result,
            announcementSeq,
            announcement: row!.announcement,
            confirmedCount: Number(counted!.count),
            memberCount: row!.member_count,
          };
        }),
    },
  };
}

interface AnnouncementRow {
  type: ConversationType;
  announcement: string;
  announcement_seq: number;
  dismissed_at: number | null;
  member_count: number;
  state: MembershipState | null;
  announcement_confirmed_seq: number | null;
}

function toAnnouncementSnapshot(row: AnnouncementRow | undefined): AnnouncementSnapshot {
  return {
    group:
      row?.type === 'group'
        ? { announcement: row.announcement, announcementSeq: row.announcement_seq, dismissed: row.dismissed_at !== null }
        : null,
    member: row?.state ? { state: row.state, confirmedSeq: row.announcement_confirmed_seq ?? 0 } : null,
  };
}
