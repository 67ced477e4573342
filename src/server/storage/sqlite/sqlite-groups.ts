/**
 * Group changes on SQLite. Each function runs inside the write transaction its caller
 * opened (SqliteStorage), reads the rows it needs, judges them with `groups/rules.ts`, and
 * writes the change and its system events.
 */
import { CommandError } from '../../errors.js';
import * as rules from '../../groups/rules.js';
import type {
  ConversationAccess,
  CreateGroupInput,
  GroupActor,
  GroupChange,
  GroupSettingsChanges,
  MemberPage,
  Membership,
} from '../group-storage.js';
import { changedSettings, withSettings } from '../group-decisions.js';
import {
  decodeMemberCursor,
  invalidMemberCursor,
  toMemberPage,
} from '../member-cursor.js';
import type { GroupRow } from '../rows.js';
import { GroupTransaction, requireUsers } from './group-transaction.js';
import type { Statements } from './statements.js';

export function createGroup(sql: Statements, input: CreateGroupInput): GroupChange {
  const memberIds = [...new Set(input.memberIds)].filter((id) => id !== input.ownerId);
  rules.requireRoom(0, 1 + memberIds.length);
  requireUsers(sql, [input.ownerId, ...memberIds]);
  const tx = new GroupTransaction(sql, input.id, input.now);
  sql.insertGroup.run({
    id: input.id,
    createdBy: input.ownerId,
    now: input.now,
    version: tx.version(),
    name: input.name,
    avatar: input.avatar,
    description: input.description,
    announcement: input.announcement ?? '',
    joinPolicy: input.joinPolicy ?? 'open',
  });
  let last = tx.record(input.ownerId, { kind: 'group.created', name: input.name });
  if (memberIds.length > 0) {
    last = tx.record(input.ownerId, { kind: 'members.added', userIds: memberIds });
  }
  tx.activate(input.ownerId, 'owner', last.seq);
  for (const userId of memberIds) tx.activate(userId, 'member', last.seq);
  tx.saveGroup({ member_count: 1 + memberIds.length });
  return tx.result();
}

export function updateGroup(
  sql: Statements,
  input: GroupActor & { changes: GroupSettingsChanges },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  const group = tx.group!;
  const changed = changedSettings(group, input.changes);
  if (Object.keys(changed).length === 0) return tx.result();
  tx.record(input.actorId, { kind: 'group.updated', ...changed });
  tx.saveGroup(withSettings(group, changed));
  return tx.result();
}

export function addMembers(
  sql: Statements,
  input: GroupActor & { userIds: readonly string[] },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  const ids = [...new Set(input.userIds)];
  requireUsers(sql, ids);
  const rows = sql.membersByIds.all(input.conversationId, JSON.stringify(ids));
  const current = new Map(rows.map((row) => [row.user_id, row]));
  const joining = ids.filter((id) => current.get(id)?.state !== 'active');
  if (joining.length === 0) return tx.result();
  const group = tx.group!;
  rules.requireRoom(group.member_count, joining.length);
  const event = tx.record(input.actorId, { kind: 'members.added', userIds: joining });
  for (const userId of joining) tx.activate(userId, 'member', event.seq);
  sql.closeJoinRequests.run(input.conversationId, JSON.stringify(joining));
  tx.saveGroup({ member_count: group.member_count + joining.length });
  return tx.result();
}

export function removeMember(
  sql: Statements,
  input: GroupActor & { userId: string },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  const actor = tx.actor(input.actorId);
  // Only the owner and admins outrank anyone: a member is refused before the target matters.
  rules.requireManager(actor);
  const target = rules.requireTarget(tx.member(input.userId));
  rules.requireOutranks(actor, target);
  const event = tx.record(input.actorId, { kind: 'member.removed', userId: input.userId });
  tx.saveMember({ ...target, state: 'removed', left_seq: event.seq });
  tx.saveGroup({ member_count: tx.group!.member_count - 1 });
  return tx.result();
}

export function setMemberRole(
  sql: Statements,
  input: GroupActor & { userId: string; role: 'admin' | 'member' },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireOwner(tx.actor(input.actorId));
  const target = rules.requireTarget(tx.member(input.userId));
  if (target.role === 'owner') {
    throw new CommandError('forbidden', "the owner's role changes only by transferring ownership");
  }
  if (target.role === input.role) return tx.result();
  tx.record(input.actorId, { kind: 'member.role', userId: input.userId, role: input.role });
  tx.saveMember({ ...target, role: input.role });
  return tx.result();
}

export function transferOwnership(
  sql: Statements,
  input: GroupActor & { userId: string },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  const actor = tx.actor(input.actorId);
  rules.requireOwner(actor);
  const target = rules.requireTarget(tx.member(input.userId));
  if (target.user_id === actor.user_id) return tx.result();
  tx.record(input.actorId, { kind: 'owner.changed', userId: input.userId });
  // Nobody outranks an owner, so nobody could lift a mute left on one.
  tx.saveMember({ ...target, role: 'owner', muted: 0 });
  tx.saveMember({ ...actor, role: 'admin' });
  return tx.result();
}

export function muteMember(
  sql: Statements,
  input: GroupActor & { userId: string; muted: boolean },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  const actor = tx.actor(input.actorId);
  // Only the owner and admins outrank anyone: a member is refused before the target matters.
  rules.requireManager(actor);
  const target = rules.requireTarget(tx.member(input.userId));
  rules.requireOutranks(actor, target);
  if ((target.muted === 1) === input.muted) return tx.result();
  tx.record(input.actorId, { kind: 'member.muted', userId: input.userId, muted: input.muted });
  tx.saveMember({ ...target, muted: input.muted ? 1 : 0 });
  return tx.result();
}

export function muteAll(sql: Statements, input: GroupActor & { muted: boolean }): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  if ((tx.group!.muted_all === 1) === input.muted) return tx.result();
  tx.record(input.actorId, { kind: 'group.muted', muted: input.muted });
  tx.saveGroup({ muted_all: input.muted ? 1 : 0 });
  return tx.result();
}

export function setJoinPolicy(
  sql: Statements,
  input: GroupActor & { joinPolicy: GroupRow['join_policy'] },
): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  if (tx.group!.join_policy === input.joinPolicy) return tx.result();
  tx.record(input.actorId, { kind: 'group.join-policy', joinPolicy: input.joinPolicy });
  tx.saveGroup({ join_policy: input.joinPolicy });
  return tx.result();
}

export function leaveGroup(sql: Statements, input: GroupActor): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  const actor = tx.actor(input.actorId);
  rules.requireCanLeave(actor);
  const event = tx.record(input.actorId, { kind: 'member.left', userId: input.actorId });
  tx.saveMember({ ...actor, state: 'left', left_seq: event.seq });
  tx.saveGroup({ member_count: tx.group!.member_count - 1 });
  return tx.result();
}

export function dismissGroup(sql: Statements, input: GroupActor): GroupChange {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireOwner(tx.actor(input.actorId));
  tx.record(input.actorId, { kind: 'group.dismissed' });
  tx.saveGroup({ dismissed_at: input.now });
  sql.closeAllJoinRequests.run(input.conversationId);
  return tx.result();
}

export function conversationAccess(
  sql: Statements,
  conversationId: string,
): ConversationAccess | null {
  const group = sql.group.get(conversationId);
  if (!group) return null;
  return {
    type: group.type,
    dismissed: group.dismissed_at !== null,
    mutedAll: group.muted_all === 1,
    members: sql.activeMembers.all(conversationId).map((row) => ({
      userId: row.user_id,
      role: row.role,
      muted: row.muted === 1,
    })),
  };
}

export function membership(
  sql: Statements,
  conversationId: string,
  userId: string,
): Membership | null {
  const row = sql.member.get(conversationId, userId);
  if (!row) return null;
  return { state: row.state, role: row.role, muted: row.muted === 1, leftSeq: row.left_seq };
}

export function memberPage(
  sql: Statements,
  conversationId: string,
  page: { cursor: string | null; limit: number },
): MemberPage {
  const after =
    page.cursor === null ? { rank: -1, name: '', id: '' } : readMemberCursor(sql, page.cursor);
  const rows = sql.memberPage.all({ conversationId, ...after, limit: page.limit + 1 });
  return toMemberPage(rows, page.limit);
}

function readMemberCursor(
  sql: Statements,
  cursor: string,
): { rank: number; name: string; id: string } {
  const { rank, id } = decodeMemberCursor(cursor);
  const name = sql.foldedUserName.get(id);
  if (name === undefined) throw invalidMemberCursor();
  return { rank, name, id };
}
