/**
 * Invite links and join requests on SQLite; like sqlite-groups.ts, each function runs
 * inside its caller's transaction.
 */
import type { GroupPreview, Invite, JoinRequest } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import { CommandError } from '../../errors.js';
import * as rules from '../../groups/rules.js';
import type { GroupActor } from '../group-storage.js';
import type { InviteJoin, InviteMembership, JoinDecision } from '../invite-storage.js';
import { inviteStanding, newInviteRow } from '../group-decisions.js';
import {
  toInvite,
  toJoinRequest,
  toPreview,
  type GroupRow,
  type InviteRow,
} from '../rows.js';
import { GroupTransaction } from './group-transaction.js';
import type { Statements } from './statements.js';

export function createInvite(
  sql: Statements,
  input: GroupActor & { code: string; expiresAt: number | null; maxUses: number | null },
): Invite {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  const usable = sql.usableInvites.all({ conversationId: input.conversationId, now: input.now });
  if (usable.length >= limits.activeInvitesMax) {
    throw new CommandError(
      'forbidden',
      `a group has at most ${limits.activeInvitesMax} usable invite links: revoke one first`,
    );
  }
  const row = newInviteRow(input);
  sql.insertInvite.run(row);
  return toInvite(row);
}

export function revokeInvite(sql: Statements, input: GroupActor & { code: string }): Invite {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  const row = sql.invite.get(input.code);
  if (!row || row.conversation_id !== input.conversationId) {
    throw new CommandError('invite_invalid', 'this group has no such invite link');
  }
  sql.revokeInvite.run({ code: input.code, now: input.now });
  return toInvite(sql.invite.get(input.code)!);
}

export function usableInvites(sql: Statements, conversationId: string, now: number): Invite[] {
  return sql.usableInvites.all({ conversationId, now }).map(toInvite);
}

interface InviteLookup {
  invite: InviteRow;
  group: GroupRow;
  verdict: rules.InviteVerdict;
}

function judge(sql: Statements, code: string, userId: string, now: number): InviteLookup {
  const invite = sql.invite.get(code);
  const group = invite ? sql.group.get(invite.conversation_id) : undefined;
  if (!invite || !group) throw rules.invalidInvite();
  const member = sql.member.get(group.id, userId);
  const requested = sql.joinRequest.get(group.id, userId) !== undefined;
  const verdict = rules.judgeInvite(
    inviteStanding(invite, group, member?.state ?? 'none', requested),
    now,
  );
  return { invite, group, verdict };
}

const shownMembership: Record<rules.InviteVerdict, InviteMembership> = {
  member: 'active',
  requested: 'requested',
  join: 'none',
  request: 'none',
};

export function previewInvite(
  sql: Statements,
  code: string,
  userId: string,
  now: number,
): { group: GroupPreview; membership: InviteMembership } {
  const { group, verdict } = judge(sql, code, userId, now);
  return { group: toPreview(group), membership: shownMembership[verdict] };
}

export function joinWithInvite(
  sql: Statements,
  input: { code: string; userId: string; now: number },
): InviteJoin {
  const { invite, group, verdict } = judge(sql, input.code, input.userId, input.now);
  switch (verdict) {
    case 'member':
      return { status: 'joined', conversationId: group.id, change: null };
    case 'requested':
      return { status: 'requested', group: toPreview(group), request: null };
    case 'request': {
      const row = { conversation_id: group.id, user_id: input.userId, requested_at: input.now };
      sql.insertJoinRequest.run({ ...row, invite_code: invite.code });
      sql.useInvite.run(invite.code);
      return { status: 'requested', group: toPreview(group), request: toJoinRequest(row) };
    }
    case 'join': {
      const tx = new GroupTransaction(sql, group.id, input.now);
      rules.requireRoom(group.member_count, 1);
      const event = tx.record(input.userId, {
        kind: 'member.joined',
        userId: input.userId,
        approvedBy: null,
      });
      tx.activate(input.userId, 'member', event.seq);
      tx.saveGroup({ member_count: group.member_count + 1 });
      // A request left from when the group wanted approval is answered by joining.
      sql.closeJoinRequests.run(group.id, JSON.stringify([input.userId]));
      sql.useInvite.run(invite.code);
      return { status: 'joined', conversationId: group.id, change: tx.result() };
    }
  }
}

export function joinRequests(sql: Statements, conversationId: string): JoinRequest[] {
  return sql.joinRequests.all(conversationId).map(toJoinRequest);
}

export function decideJoinRequest(
  sql: Statements,
  input: GroupActor & { userId: string; approve: boolean },
): JoinDecision {
  const tx = new GroupTransaction(sql, input.conversationId, input.now);
  rules.requireManager(tx.actor(input.actorId));
  if (!sql.joinRequest.get(input.conversationId, input.userId)) {
    throw new CommandError('not_found', 'no pending join request from this user');
  }
  sql.closeJoinRequests.run(input.conversationId, JSON.stringify([input.userId]));
  const group = tx.group!;
  if (!input.approve || tx.member(input.userId)?.state === 'active') {
    return { change: null, group: toPreview(group) };
  }
  rules.requireRoom(group.member_count, 1);
  const event = tx.record(input.userId, {
    kind: 'member.joined',
    userId: input.userId,
    approvedBy: input.actorId,
  });
  tx.activate(input.userId, 'member', event.seq);
  tx.saveGroup({ member_count: group.member_count + 1 });
  return { change: tx.result(), group: toPreview(tx.group!) };
}
