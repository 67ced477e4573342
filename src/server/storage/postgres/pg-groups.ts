/**
 * Group changes on PostgreSQL. Each function runs inside the transaction its caller
 * opened (PostgresStorage), locks the group's row first, reads the rows it needs, judges
 * them with `groups/rules.ts`, and writes the change and its system events.
 */
import { CommandError } from '../../errors.js';
import * as rules from '../../groups/rules.js';
import { changedSettings, withSettings } from '../group-decisions.js';
import type {
  ConversationAccess,
  CreateGroupInput,
  GroupActor,
  GroupChange,
  GroupSettingsChanges,
  MemberPage,
  Membership,
} from '../group-storage.js';
import { decodeMemberCursor, invalidMemberCursor, toMemberPage } from '../member-cursor.js';
import type { GroupRole, JoinPolicy } from '../../../protocol/index.js';
import { memberColumns, type MemberPageRow, type MemberRow } from '../rows.js';
import type { PgTransaction, Queryable } from './pg-database.js';
import { PgGroupTransaction, requireUsers } from './pg-group-transaction.js';

export async function createGroup(tx: PgTransaction, input: CreateGroupInput): Promise<GroupChange> {
  const memberIds = [...new Set(input.memberIds)].filter((id) => id !== input.ownerId);
  rules.requireRoom(0, 1 + memberIds.length);
  await requireUsers(tx, [input.ownerId, ...memberIds]);
  await tx.run(
    `INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at,
       name, avatar, description, announcement, join_policy, member_count)
     VALUES ($1, 'group', $2, $3, 0, $3, $4, $5, $6, $7, $8, $9)`,
    [
      input.id,
      input.ownerId,
      input.now,
      input.name,
      input.avatar,
      input.description,
      input.announcement ?? '',
      input.joinPolicy ?? 'open',
      1 + memberIds.length,
    ],
  );
  const group = new PgGroupTransaction(tx, input.id, input.now);
  await group.group();
  let last = await group.record(input.ownerId, { kind: 'group.created', name: input.name });
  if (memberIds.length > 0) {
    last = await group.record(input.ownerId, { kind: 'members.added', userIds: memberIds });
  }
  await group.activate([input.ownerId], 'owner', last.seq);
  if (memberIds.length > 0) await group.activate(memberIds, 'member', last.seq);
  return group.result();
}

export async function updateGroup(
  tx: PgTransaction,
  input: GroupActor & { changes: GroupSettingsChanges },
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await group.actor(input.actorId));
  const changed = changedSettings(group.current, input.changes);
  if (Object.keys(changed).length === 0) return group.result();
  await group.record(input.actorId, { kind: 'group.updated', ...changed });
  await group.saveGroup(withSettings(group.current, changed));
  return group.result();
}

export async function addMembers(
  tx: PgTransaction,
  input: GroupActor & { userIds: readonly string[] },
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await group.actor(input.actorId));
  const ids = [...new Set(input.userIds)];
  await requireUsers(tx, ids);
  const rows = await tx.rows<MemberRow>(
    `SELECT ${memberColumns} FROM conversation_members
     WHERE conversation_id = $1 AND user_id = ANY($2::text[])`,
    [input.conversationId, ids],
  );
  const current = new Map(rows.map((row) => [row.user_id, row]));
  const joining = ids.filter((id) => current.get(id)?.state !== 'active');
  if (joining.length === 0) return group.result();
  const { member_count } = group.current;
  rules.requireRoom(member_count, joining.length);
  const event = await group.record(input.actorId, { kind: 'members.added', userIds: joining });
  await group.activate(joining, 'member', event.seq);
  await group.closeJoinRequests(joining);
  await group.saveGroup({ member_count: member_count + joining.length });
  return group.result();
}

/** Someone of higher rank than an active target changes it; `change` records and saves. */
async function changeOutranked(
  tx: PgTransaction,
  input: GroupActor & { userId: string },
  change: (group: PgGroupTransaction, target: MemberRow) => Promise<void>,
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  const actor = await group.actor(input.actorId);
  // Only the owner and admins outrank anyone: a member is refused before the target matters.
  rules.requireManager(actor);
  const target = rules.requireTarget(await group.member(input.userId));
  rules.requireOutranks(actor, target);
  await change(group, target);
  return group.result();
}

export function removeMember(tx: PgTransaction, input: GroupActor & { userId: string }): Promise<GroupChange> {
  return changeOutranked(tx, input, async (group, target) => {
    const event = await group.record(input.actorId, { kind: 'member.removed', userId: input.userId });
    await group.saveMember({ ...target, state: 'removed', left_seq: event.seq });
    await group.saveGroup({ member_count: group.current.member_count - 1 });
  });
}

export function muteMember(
  tx: PgTransaction,
  input: GroupActor & { userId: string; muted: boolean },
): Promise<GroupChange> {
  return changeOutranked(tx, input, async (group, target) => {
    if ((target.muted === 1) === input.muted) return;
    await group.record(input.actorId, { kind: 'member.muted', userId: input.userId, muted: input.muted });
    await group.saveMember({ ...target, muted: input.muted ? 1 : 0 });
  });
}

export async function setMemberRole(
  tx: PgTransaction,
  input: GroupActor & { userId: string; role: 'admin' | 'member' },
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireOwner(await group.actor(input.actorId));
  const target = rules.requireTarget(await group.member(input.userId));
  if (target.role === 'owner') {
    throw new CommandError('forbidden', "the owner's role changes only by transferring ownership");
  }
  if (target.role === input.role) return group.result();
  await group.record(input.actorId, { kind: 'member.role', userId: input.userId, role: input.role });
  await group.saveMember({ ...target, role: input.role });
  return group.result();
}

export async function transferOwnership(
  tx: PgTransaction,
  input: GroupActor & { userId: string },
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  const actor = await group.actor(input.actorId);
  rules.requireOwner(actor);
  const target = rules.requireTarget(await group.member(input.userId));
  if (target.user_id === actor.user_id) return group.result();
  await group.record(input.actorId, { kind: 'owner.changed', userId: input.userId });
  // Nobody outranks an owner, so nobody could lift a mute left on one.
  await group.saveMember({ ...target, role: 'owner', muted: 0 });
  await group.saveMember({ ...actor, role: 'admin' });
  return group.result();
}

/** An owner's or admin's change of the group itself, recorded unless it changes nothing. */
async function changeAsManager(
  tx: PgTransaction,
  input: GroupActor,
  change: (group: PgGroupTransaction) => Promise<void>,
): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await group.actor(input.actorId));
  await change(group);
  return group.result();
}

export function muteAll(tx: PgTransaction, input: GroupActor & { muted: boolean }): Promise<GroupChange> {
  return changeAsManager(tx, input, async (group) => {
    if ((group.current.muted_all === 1) === input.muted) return;
    await group.record(input.actorId, { kind: 'group.muted', muted: input.muted });
    await group.saveGroup({ muted_all: input.muted ? 1 : 0 });
  });
}

export function setJoinPolicy(
  tx: PgTransaction,
  input: GroupActor & { joinPolicy: JoinPolicy },
): Promise<GroupChange> {
  return changeAsManager(tx, input, async (group) => {
    if (group.current.join_policy === input.joinPolicy) return;
    await group.record(input.actorId, { kind: 'group.join-policy', joinPolicy: input.joinPolicy });
    await group.saveGroup({ join_policy: input.joinPolicy });
  });
}

export async function leaveGroup(tx: PgTransaction, input: GroupActor): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  const actor = await group.actor(input.actorId);
  rules.requireCanLeave(actor);
  const event = await group.record(input.actorId, { kind: 'member.left', userId: input.actorId });
  await group.saveMember({ ...actor, state: 'left', left_seq: event.seq });
  await group.saveGroup({ member_count: group.current.member_count - 1 });
  return group.result();
}

export async function dismissGroup(tx: PgTransaction, input: GroupActor): Promise<GroupChange> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireOwner(await group.actor(input.actorId));
  await group.record(input.actorId, { kind: 'group.dismissed' });
  await group.saveGroup({ dismissed_at: input.now });
  await group.closeJoinRequests(null);
  return group.result();
}

/** In one statement, so the group and its members agree. */
export async function conversationAccess(
  db: Queryable,
  conversationId: string,
): Promise<ConversationAccess | null> {
  const rows = await db.rows<{
    type: 'single' | 'group';
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
  return {
    type: group.type,
    dismissed: group.dismissed_at !== null,
    mutedAll: group.muted_all === 1,
    members: rows
      .filter((row) => row.user_id !== null)
      .map((row) => ({ userId: row.user_id!, role: row.role, muted: row.muted === 1 })),
  };
}

export async function membership(
  db: Queryable,
  conversationId: string,
  userId: string,
): Promise<Membership | null> {
  const row = await db.row<MemberRow>(
    `SELECT ${memberColumns} FROM conversation_members WHERE conversation_id = $1 AND user_id = $2`,
    [conversationId, userId],
  );
  if (!row) return null;
  return { state: row.state, role: row.role, muted: row.muted === 1, leftSeq: row.left_seq };
}

// Members list: owner, admins, members, then by name as people read it, then id.
const memberRank = `CASE m.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`;

export async function memberPage(
  db: Queryable,
  conversationId: string,
  page: { cursor: string | null; limit: number },
): Promise<MemberPage> {
  const after = page.cursor === null ? { rank: -1, name: '', id: '' } : await readMemberCursor(db, page.cursor);
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
}

async function readMemberCursor(
  db: Queryable,
  cursor: string,
): Promise<{ rank: number; name: string; id: string }> {
  const { rank, id } = decodeMemberCursor(cursor);
  const user = await db.row<{ name_folded: string }>('SELECT name_folded FROM users WHERE id = $1', [id]);
  if (!user) throw invalidMemberCursor();
  return { rank, name: user.name_folded, id };
}
