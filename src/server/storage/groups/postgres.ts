/**
 * The groups area on PostgreSQL: the snapshot loads and the writes they apply. A command
 * locks its group's row before it reads anything else, so the changes of one group (and
 * the messages appended to it) happen one after the other across processes.
 */
import type { ConversationType, GroupRole, Message } from '../../../protocol/index.js';
import { settle } from '../../decision.js';
import { CommandError } from '../../errors.js';
import { decidePreview, toInvite } from '../../groups/invite-decisions.js';
import type { GroupSnapshot, GroupWrite } from '../../groups/model.js';
import type { PgDatabase, PgTransaction, Queryable } from '../postgres/pg-database.js';
import type { SharedSql } from '../shared-sql.js';
import { memberColumns, systemEventRow, toMessage, type GroupRow, type MemberRow } from '../rows.js';
import { groupWrites, joinScope, runCommand, type GroupTransaction, type SnapshotScope, type WriteContext } from './commands.js';
import type { GroupStorage } from './contract.js';
import { decodeMemberCursor, invalidMemberCursor, toMemberPage, type MemberPageRow } from './member-page.js';
import {
  memberRank,
  toGroupRow,
  toGroupState,
  toInviteState,
  toAccess,
  toJoinRequest,
  toMembership,
  toMemberRow,
  toMemberState,
  type InviteRow,
  type JoinRequestRow,
} from './rows.js';
import * as shared from './statements.js';

/** A shared statement's PostgreSQL text and values, as arguments of `Queryable`'s methods. */
const bind = (statement: SharedSql, params: Readonly<Record<string, unknown>>): [string, unknown[]] => [
  statement.postgres,
  statement.values(params),
];

/** Loads a command's snapshot; inside a write transaction the group's row is locked. */
async function loadSnapshot(db: Queryable, scope: SnapshotScope, lock: boolean): Promise<GroupSnapshot> {
  const locking = lock ? 'FOR UPDATE' : '';
  const group =
    scope.conversationId !== undefined
      ? await db.row<GroupRow>(`${shared.groupById.postgres} ${locking}`, shared.groupById.values({ id: scope.conversationId }))
      : await db.row<GroupRow>(`${shared.groupOfInvite.postgres} ${locking}`, shared.groupOfInvite.values({ code: scope.inviteCode }));
  const id = group?.id ?? scope.conversationId;
  const invite =
    scope.inviteCode === undefined ? undefined : await db.row<InviteRow>(...bind(shared.inviteByCode, { code: scope.inviteCode }));
  const members =
    id === undefined || scope.memberIds.length === 0
      ? []
      : await db.rows<MemberRow>(
          `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = $1 AND user_id = ANY($2::text[])`,
          [id, scope.memberIds],
        );
  const users = scope.userIds?.length
    ? await db.rows<{ id: string }>('SELECT id FROM users WHERE id = ANY($1::text[])', [scope.userIds])
    : [];
  const requesters =
    id === undefined || !scope.requesterIds
      ? []
      : await db.rows<{ user_id: string }>(
          'SELECT user_id FROM join_requests WHERE conversation_id = $1 AND user_id = ANY($2::text[])',
          [id, scope.requesterIds],
        );
  const usable =
    id === undefined || scope.usableInvitesAt === undefined
      ? []
      : await db.rows<InviteRow>(...bind(shared.usableInvites, { conversationId: id, now: scope.usableInvitesAt }));
  return {
    group: group ? toGroupState(group) : null,
    members: new Map(members.map((row) => [row.user_id, toMemberState(row)])),
    existingUserIds: new Set(users.map((user) => user.id)),
    invite: invite ? toInviteState(invite) : null,
    requesterIds: new Set(requesters.map((row) => row.user_id)),
    usableInvites: usable.length,
  };
}

class PgGroupTransaction implements GroupTransaction<'async'> {
  constructor(private readonly tx: PgTransaction) {}

  load(scope: SnapshotScope): Promise<GroupSnapshot> {
    return loadSnapshot(this.tx, scope, true);
  }

  async apply(write: GroupWrite, context: WriteContext): Promise<Message | undefined> {
    const { tx } = this;
    const { conversationId, now, lastSeq } = context;
    switch (write.kind) {
      case 'createGroup': {
        const group = toGroupRow(write.group);
        await tx.run(
          `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at,
             name, avatar, description, announcement, join_policy, member_count)
           VALUES ($1, 'group', $2, $3, 0, $3, $4, $5, $6, $7, $8, $9)`,
          [group.id, write.createdBy, write.createdAt, group.name, group.avatar, group.description,
            group.announcement, group.join_policy, group.member_count],
        );
        return;
      }
      case 'recordEvent': {
        const row = systemEventRow(context, 0, write.senderId, write.event);
        const taken = await tx.row<{ seq: number }>(
          `WITH taken AS (
             UPDATE conversations SET last_seq = last_seq + 1, updated_at = greatest(updated_at, $3)
             WHERE id = $1 RETURNING last_seq)
           INSERT INTO messages (id, conversation_id, seq, sender_id, client_id, type, body, created_at)
           SELECT $2, $1, last_seq, $4, $5, 'system', $6, $3 FROM taken RETURNING seq`,
          [conversationId, row.id, now, row.sender_id, row.client_id, row.body],
        );
        if (!taken) throw new CommandError('not_found', 'no such group');
        tx.touchConversation(conversationId);
        return toMessage({ ...row, seq: taken.seq });
      }
      case 'activateMembers':
        await tx.run(
          `INSERT INTO conversation_members (conversation_id, user_id, read_seq, delivered_seq, role,
             muted, state, joined_at, left_seq)
           SELECT $1, user_id, $3, $3, $4, 0, 'active', $5, NULL FROM unnest($2::text[]) AS joining (user_id)
           ON CONFLICT (conversation_id, user_id) DO UPDATE SET
             read_seq = greatest(conversation_members.read_seq, excluded.read_seq),
             delivered_seq = greatest(conversation_members.delivered_seq, excluded.read_seq),
             role = excluded.role, muted = 0, state = 'active', joined_at = excluded.joined_at,
             left_seq = NULL`,
          [conversationId, write.userIds, lastSeq, write.role, now],
        );
        for (const userId of write.userIds) tx.touchMember(conversationId, userId);
        return;
      case 'saveMember': {
        const member = toMemberRow(write.member, lastSeq);
        await tx.run(
          `UPDATE conversation_members SET role = $3, muted = $4, state = $5, left_seq = $6
           WHERE conversation_id = $1 AND user_id = $2`,
          [conversationId, member.user_id, member.role, member.muted, member.state, member.left_seq],
        );
        tx.touchMember(conversationId, member.user_id);
        return;
      }
      case 'saveGroup':
        await tx.run(...bind(shared.saveGroup, { ...toGroupRow(write.group) }));
        return;
      case 'closeJoinRequests':
        await tx.run(
          `DELETE FROM join_requests WHERE conversation_id = $1 AND ($2::text[] IS NULL OR user_id = ANY($2::text[]))`,
          [conversationId, write.userIds === 'all' ? null : write.userIds],
        );
        return;
      case 'createInvite':
        await tx.run(...bind(shared.insertInvite, { ...write.invite }));
        return;
      case 'revokeInvite':
        await tx.run(...bind(shared.revokeInvite, { code: write.code, at: write.at }));
        return;
      case 'useInvite':
        await tx.run(...bind(shared.useInvite, { code: write.code }));
        return;
      case 'fileJoinRequest':
        await tx.run(...bind(shared.insertJoinRequest, { ...write.request, inviteCode: write.inviteCode }));
        return;
    }
  }
}

export function postgresGroups(db: PgDatabase): GroupStorage {
  return {
    read: {
      // In one statement, so the group and its members agree.
      async getConversationAccess(conversationId) {
        const rows = await db.rows<{
          type: ConversationType;
          dismissed_at: number | null;
          muted_all: number;
          user_id: string | null;
          role: GroupRole;
          muted: number;
        }>(
          `SELECT c.type, c.dismissed_at, c.muted_all, m.user_id, m.role, m.muted
           FROM conversations c
           LEFT JOIN conversation_members m ON m.conversation_id = c.id AND m.state = 'active'
           WHERE c.id = $1`,
          [conversationId],
        );
        const group = rows[0];
        if (!group) return null;
        return toAccess(group, rows.filter((row): row is typeof row & { user_id: string } => row.user_id !== null));
      },
      async getMembership(conversationId, userId) {
        const row = await db.row<MemberRow>(...bind(shared.membership, { conversationId, userId }));
        return row ? toMembership(row) : null;
      },
      async listMembers(conversationId, page) {
        let after = { rank: -1, name: '', id: '' };
        if (page.cursor !== null) {
          const { rank, id } = decodeMemberCursor(page.cursor);
          const user = await db.row<{ name_folded: string }>('SELECT name_folded FROM users WHERE id = $1', [id]);
          if (!user) throw invalidMemberCursor();
          after = { rank, name: user.name_folded, id };
        }
        const rows = await db.rows<MemberPageRow>(
          `SELECT m.user_id, m.role, m.muted, m.joined_at, u.name, u.avatar,
             ${memberRank} AS rank, u.name_folded AS sort_name
           FROM conversation_members m JOIN users u ON u.id = m.user_id
           WHERE m.conversation_id = $1 AND m.state = 'active'
             AND (${memberRank}, u.name_folded, m.user_id) > ($2::int, $3::text COLLATE "C", $4::text COLLATE "C")
           ORDER BY rank, sort_name, m.user_id
           LIMIT $5`,
          [conversationId, after.rank, after.name, after.id, page.limit + 1],
        );
        return toMemberPage(rows, page.limit);
      },
      async listInvites(conversationId, now) {
        return (await db.rows<InviteRow>(...bind(shared.usableInvites, { conversationId, now }))).map(toInviteState).map(toInvite);
      },
      async previewInvite(code, userId, now) {
        const snapshot = await loadSnapshot(db, joinScope(code, userId), false);
        return settle(decidePreview(snapshot, { userId }, now)).result;
      },
      async listJoinRequests(conversationId) {
        return (await db.rows<JoinRequestRow>(...bind(shared.joinRequestsOfGroup, { conversationId }))).map(toJoinRequest);
      },
    },
    write: groupWrites((command) => db.transaction((tx) => runCommand(new PgGroupTransaction(tx), command))),
  };
}
