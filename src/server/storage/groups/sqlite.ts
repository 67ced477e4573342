/** The groups area on SQLite: its statements, the snapshot loads and the writes they apply. */
import type { Database } from 'better-sqlite3';
import type { GroupRole, JoinRequest, Message } from '../../../protocol/index.js';
import { settle } from '../../decision.js';
import { CommandError } from '../../errors.js';
import { decidePreview, toInvite } from '../../groups/invite-decisions.js';
import type { GroupSnapshot, GroupWrite, InviteState } from '../../groups/model.js';
import { memberColumns, messageColumns, systemEventRow, toMessage, type GroupRow, type MemberRow, type MessageRow } from '../rows.js';
import type { SqliteConnection } from '../sqlite/connection.js';
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

type Ids = [conversationId: string, userIds: string];
const inIds = `IN (SELECT value FROM json_each(?))`;

function prepare(db: Database) {
  return {
    group: db.prepare<[{ id: string }], GroupRow>(shared.groupById.sqlite),
    groupOfInvite: db.prepare<[{ code: string }], GroupRow>(shared.groupOfInvite.sqlite),
    members: db.prepare<Ids, MemberRow>(
      `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = ? AND user_id ${inIds}`,
    ),
    existingUserIds: db.prepare<[string], string>(`SELECT id FROM users WHERE id ${inIds}`).pluck(),
    invite: db.prepare<[{ code: string }], InviteRow>(shared.inviteByCode.sqlite),
    usableInvites: db.prepare<[{ conversationId: string; now: number }], InviteRow>(shared.usableInvites.sqlite),
    requesterIds: db
      .prepare<Ids, string>(`SELECT user_id FROM join_requests WHERE conversation_id = ? AND user_id ${inIds}`)
      .pluck(),

    insertGroup: db.prepare<[GroupRow & { createdBy: string; createdAt: number; version: number }], unknown>(`
      INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version,
        name, avatar, description, announcement, join_policy, muted_all, dismissed_at, member_count)
      VALUES (@id, 'group', @createdBy, @createdAt, 0, @createdAt, @version,
        @name, @avatar, @description, @announcement, @join_policy, @muted_all, @dismissed_at, @member_count)`),
    takeEventSeq: db
      .prepare<[{ conversationId: string; now: number; version: number }], number>(`
        UPDATE conversations
        SET last_seq = last_seq + 1, updated_at = max(updated_at, @now), version = @version
        WHERE id = @conversationId RETURNING last_seq`)
      .pluck(),
    insertEvent: db.prepare<[MessageRow], unknown>(`
      INSERT INTO messages (${messageColumns}, type)
      VALUES (@id, @conversation_id, @seq, @sender_id, @client_id, @body, @created_at, @reply_to, @edited_at, 'system')`),
    // Joining (again) starts with everything before the joining event read.
    activateMember: db.prepare<
      [{ conversationId: string; userId: string; role: GroupRole; seq: number; now: number; version: number }],
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
    saveMember: db.prepare<[MemberRow & { conversation_id: string; version: number }], unknown>(`
      UPDATE conversation_members SET role = @role, muted = @muted, state = @state,
        left_seq = @left_seq, version = @version
      WHERE conversation_id = @conversation_id AND user_id = @user_id`),
    saveGroup: db.prepare<[GroupRow], unknown>(shared.saveGroup.sqlite),
    closeJoinRequests: db.prepare<Ids, unknown>(`DELETE FROM join_requests WHERE conversation_id = ? AND user_id ${inIds}`),
    closeAllJoinRequests: db.prepare<[string], unknown>(`DELETE FROM join_requests WHERE conversation_id = ?`),
    insertInvite: db.prepare<[InviteState], unknown>(shared.insertInvite.sqlite),
    revokeInvite: db.prepare<[{ code: string; at: number }], unknown>(shared.revokeInvite.sqlite),
    useInvite: db.prepare<[{ code: string }], unknown>(shared.useInvite.sqlite),
    insertJoinRequest: db.prepare<[JoinRequest & { inviteCode: string }], unknown>(shared.insertJoinRequest.sqlite),

    activeMembers: db.prepare<[string], Pick<MemberRow, 'user_id' | 'role' | 'muted'>>(
      `SELECT user_id, role, muted FROM conversation_members WHERE conversation_id = ? AND state = 'active'`,
    ),
    member: db.prepare<[{ conversationId: string; userId: string }], MemberRow>(shared.membership.sqlite),
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
    foldedUserName: db.prepare<[string], string>(`SELECT im_fold(name) FROM users WHERE id = ?`).pluck(),
    joinRequests: db.prepare<[{ conversationId: string }], JoinRequestRow>(shared.joinRequestsOfGroup.sqlite),
  };
}

type Statements = ReturnType<typeof prepare>;

/** One command's transaction: one change version for all of it, taken when first needed. */
class SqliteGroupTransaction implements GroupTransaction<'sync'> {
  #version: number | null = null;

  constructor(
    private readonly sql: Statements,
    private readonly connection: SqliteConnection,
  ) {}

  load(scope: SnapshotScope): GroupSnapshot {
    const { sql } = this;
    const group =
      scope.conversationId !== undefined ? sql.group.get({ id: scope.conversationId }) : sql.groupOfInvite.get({ code: scope.inviteCode! });
    const invite = scope.inviteCode !== undefined ? sql.invite.get({ code: scope.inviteCode }) : undefined;
    const id = group?.id ?? scope.conversationId ?? '';
    const ids = (userIds: readonly string[] = []) => JSON.stringify(userIds);
    return {
      group: group ? toGroupState(group) : null,
      members: new Map(
        (scope.memberIds.length > 0 ? sql.members.all(id, ids(scope.memberIds)) : []).map((row) => [row.user_id, toMemberState(row)]),
      ),
      existingUserIds: new Set(scope.userIds?.length ? sql.existingUserIds.all(ids(scope.userIds)) : []),
      invite: invite ? toInviteState(invite) : null,
      requesterIds: new Set(scope.requesterIds ? sql.requesterIds.all(id, ids(scope.requesterIds)) : []),
      usableInvites:
        scope.usableInvitesAt === undefined ? 0 : sql.usableInvites.all({ conversationId: id, now: scope.usableInvitesAt }).length,
    };
  }

  apply(write: GroupWrite, context: WriteContext): Message | undefined {
    const { sql } = this;
    const { conversationId, now, lastSeq } = context;
    switch (write.kind) {
      case 'createGroup':
        sql.insertGroup.run({
          ...toGroupRow(write.group),
          createdBy: write.createdBy,
          createdAt: write.createdAt,
          version: this.#takeVersion(),
        });
        return;
      case 'recordEvent': {
        const seq = sql.takeEventSeq.get({ conversationId, now, version: this.#takeVersion() });
        if (seq === undefined) throw new CommandError('not_found', 'no such conversation');
        const row = systemEventRow(context, seq, write.senderId, write.event);
        sql.insertEvent.run(row);
        return toMessage(row);
      }
      case 'activateMembers':
        for (const userId of write.userIds) {
          const member = { conversationId, userId, role: write.role, seq: lastSeq, now };
          sql.activateMember.run({ ...member, version: this.#takeVersion() });
        }
        return;
      case 'saveMember':
        sql.saveMember.run({ ...toMemberRow(write.member, lastSeq), conversation_id: conversationId, version: this.#takeVersion() });
        return;
      case 'saveGroup':
        sql.saveGroup.run(toGroupRow(write.group));
        return;
      case 'closeJoinRequests':
        if (write.userIds === 'all') sql.closeAllJoinRequests.run(conversationId);
        else sql.closeJoinRequests.run(conversationId, JSON.stringify(write.userIds));
        return;
      case 'createInvite':
        sql.insertInvite.run(write.invite);
        return;
      case 'revokeInvite':
        sql.revokeInvite.run({ code: write.code, at: write.at });
        return;
      case 'useInvite':
        sql.useInvite.run({ code: write.code });
        return;
      case 'fileJoinRequest':
        sql.insertJoinRequest.run({ ...write.request, inviteCode: write.inviteCode });
        return;
    }
  }

  #takeVersion(): number {
    this.#version ??= this.connection.nextVersion();
    return this.#version;
  }
}

export function sqliteGroups(connection: SqliteConnection): GroupStorage {
  // Reads that must agree with each other run in one (deferred) transaction: one snapshot.
  const snapshot = <T>(read: (sql: Statements) => T): T =>
    connection.run(prepare, (sql) => connection.db.transaction(() => read(sql))());
  return {
    read: {
      async getConversationAccess(conversationId) {
        return snapshot((sql) => {
          const group = sql.group.get({ id: conversationId });
          return group ? toAccess(group, sql.activeMembers.all(conversationId)) : null;
        });
      },
      async getMembership(conversationId, userId) {
        const row = connection.run(prepare, (sql) => sql.member.get({ conversationId, userId }));
        return row ? toMembership(row) : null;
      },
      async listMembers(conversationId, page) {
        return connection.run(prepare, (sql) => {
          let after = { rank: -1, name: '', id: '' };
          if (page.cursor !== null) {
            const { rank, id } = decodeMemberCursor(page.cursor);
            const name = sql.foldedUserName.get(id);
            if (name === undefined) throw invalidMemberCursor();
            after = { rank, name, id };
          }
          return toMemberPage(sql.memberPage.all({ conversationId, ...after, limit: page.limit + 1 }), page.limit);
        });
      },
      async listInvites(conversationId, now) {
        return connection.run(prepare, (sql) => sql.usableInvites.all({ conversationId, now }).map(toInviteState).map(toInvite));
      },
      async previewInvite(code, userId, now) {
        const loaded = snapshot((sql) => new SqliteGroupTransaction(sql, connection).load(joinScope(code, userId)));
        return settle(decidePreview(loaded, { userId }, now)).result;
      },
      async listJoinRequests(conversationId) {
        return connection.run(prepare, (sql) => sql.joinRequests.all({ conversationId }).map(toJoinRequest));
      },
    },
    write: groupWrites(async (command) =>
      connection.write(prepare, (sql) => runCommand(new SqliteGroupTransaction(sql, connection), command)),
    ),
  };
}
