/**
 * Invite links and join requests on PostgreSQL; like pg-groups.ts, each function runs
 * inside its caller's transaction, or as one statement.
 */
import type { GroupPreview, Invite, JoinRequest } from '../../../protocol/index.js';
import { limits } from '../../../protocol/limits.js';
import { CommandError } from '../../errors.js';
import * as rules from '../../groups/rules.js';
import type { MembershipState } from '../../groups/rules.js';
import { inviteStanding, newInviteRow } from '../group-decisions.js';
import type { GroupActor } from '../group-storage.js';
import type { InviteJoin, InviteMembership, JoinDecision } from '../invite-storage.js';
import {
  groupColumns,
  inviteColumns,
  toInvite,
  toJoinRequest,
  toPreview,
  type GroupRow,
  type InviteRow,
  type JoinRequestRow,
} from '../rows.js';
import type { PgTransaction, Queryable } from './pg-database.js';
import { PgGroupTransaction } from './pg-group-transaction.js';

const usable = `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
  AND (max_uses IS NULL OR uses < max_uses)`;

async function usableRows(db: Queryable, conversationId: string, now: number): Promise<InviteRow[]> {
  return db.rows<InviteRow>(
    `SELECT ${inviteColumns} FROM invites WHERE conversation_id = $1 AND ${usable}
     ORDER BY created_at DESC, code`,
    [conversationId, now],
  );
}

export async function createInvite(
  tx: PgTransaction,
  input: GroupActor & { code: string; expiresAt: number | null; maxUses: number | null },
): Promise<Invite> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await group.actor(input.actorId));
  if ((await usableRows(tx, input.conversationId, input.now)).length >= limits.activeInvitesMax) {
    throw new CommandError(
      'forbidden',
      `a group has at most ${limits.activeInvitesMax} usable invite links: revoke one first`,
    );
  }
  const row = newInviteRow(input);
  await tx.run(
    `INSERT INTO invites (${inviteColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.code, row.conversation_id, row.created_by, row.created_at, row.expires_at, row.max_uses, row.uses, row.revoked_at],
  );
  return toInvite(row);
}

export async function revokeInvite(tx: PgTransaction, input: GroupActor & { code: string }): Promise<Invite> {
  const group = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await group.actor(input.actorId));
  const row = await tx.row<InviteRow>(
    `UPDATE invites SET revoked_at = coalesce(revoked_at, $3)
     WHERE code = $1 AND conversation_id = $2 RETURNING ${inviteColumns}`,
    [input.code, input.conversationId, input.now],
  );
  if (!row) throw new CommandError('invite_invalid', 'this group has no such invite link');
  return toInvite(row);
}

export async function usableInvites(db: Queryable, conversationId: string, now: number): Promise<Invite[]> {
  return (await usableRows(db, conversationId, now)).map(toInvite);
}

interface InviteLookup {
  invite: InviteRow;
  group: GroupRow;
  verdict: rules.InviteVerdict;
}

/** The code, its group and the user's standing in one statement; `lock` locks the group. */
async function judge(
  db: Queryable,
  input: { code: string; userId: string; now: number },
  lock: boolean,
): Promise<InviteLookup> {
  const found = await db.row<{
    invite: InviteRow;
    group: GroupRow | null;
    membership: MembershipState | null;
    requested: boolean;
  }>(
    `SELECT row_to_json(i) AS invite, (SELECT row_to_json(g) FROM (SELECT ${groupColumns}
         FROM conversations WHERE id = i.conversation_id ${lock ? 'FOR UPDATE' : ''}) g) AS group,
       (SELECT state FROM conversation_members WHERE conversation_id = i.conversation_id
         AND user_id = $2) AS membership,
       EXISTS (SELECT 1 FROM join_requests WHERE conversation_id = i.conversation_id
         AND user_id = $2) AS requested
     FROM (SELECT ${inviteColumns} FROM invites WHERE code = $1) i`,
    [input.code, input.userId],
  );
  if (!found?.group) throw rules.invalidInvite();
  const { invite, group } = found;
  const standing = inviteStanding(invite, group, found.membership ?? 'none', found.requested);
  return { invite, group, verdict: rules.judgeInvite(standing, input.now) };
}

const shownMembership: Record<rules.InviteVerdict, InviteMembership> = {
  member: 'active',
  requested: 'requested',
  join: 'none',
  request: 'none',
};

export async function previewInvite(
  db: Queryable,
  input: { code: string; userId: string; now: number },
): Promise<{ group: GroupPreview; membership: InviteMembership }> {
  const { group, verdict } = await judge(db, input, false);
  return { group: toPreview(group), membership: shownMembership[verdict] };
}

export async function joinWithInvite(
  tx: PgTransaction,
  input: { code: string; userId: string; now: number },
): Promise<InviteJoin> {
  const { invite, group, verdict } = await judge(tx, input, true);
  switch (verdict) {
    case 'member':
      return { status: 'joined', conversationId: group.id, change: null };
    case 'requested':
      return { status: 'requested', group: toPreview(group), request: null };
    case 'request': {
      const row = { conversation_id: group.id, user_id: input.userId, requested_at: input.now };
      await tx.run(
        `INSERT INTO join_requests (conversation_id, user_id, invite_code, requested_at)
         VALUES ($1, $2, $3, $4)`,
        [row.conversation_id, row.user_id, invite.code, row.requested_at],
      );
      await useInvite(tx, invite.code);
      return { status: 'requested', group: toPreview(group), request: toJoinRequest(row) };
    }
    case 'join': {
      const change = new PgGroupTransaction(tx, group.id, input.now);
      await change.group();
      rules.requireRoom(group.member_count, 1);
      const event = await change.record(input.userId, {
        kind: 'member.joined',
        userId: input.userId,
        approvedBy: null,
      });
      await change.activate([input.userId], 'member', event.seq);
      await change.saveGroup({ member_count: group.member_count + 1 });
      // A request left from when the group wanted approval is answered by joining.
      await change.closeJoinRequests([input.userId]);
      await useInvite(tx, invite.code);
      return { status: 'joined', conversationId: group.id, change: change.result() };
    }
  }
}

async function useInvite(tx: PgTransaction, code: string): Promise<void> {
  await tx.run('UPDATE invites SET uses = uses + 1 WHERE code = $1', [code]);
}

export async function joinRequests(db: Queryable, conversationId: string): Promise<JoinRequest[]> {
  const rows = await db.rows<JoinRequestRow>(
    `SELECT conversation_id, user_id, requested_at FROM join_requests
     WHERE conversation_id = $1 ORDER BY requested_at, user_id`,
    [conversationId],
  );
  return rows.map(toJoinRequest);
}

export async function decideJoinRequest(
  tx: PgTransaction,
  input: GroupActor & { userId: string; approve: boolean },
): Promise<JoinDecision> {
  const change = new PgGroupTransaction(tx, input.conversationId, input.now);
  rules.requireManager(await change.actor(input.actorId));
  const closed = await tx.run('DELETE FROM join_requests WHERE conversation_id = $1 AND user_id = $2', [
    input.conversationId,
    input.userId,
  ]);
  if (closed === 0) throw new CommandError('not_found', 'no pending join request from this user');
  const group = change.current;
  if (!input.approve || (await change.member(input.userId))?.state === 'active') {
    return { change: null, group: toPreview(group) };
  }
  rules.requireRoom(group.member_count, 1);
  const event = await change.record(input.userId, {
    kind: 'member.joined',
    userId: input.userId,
    approvedBy: input.actorId,
  });
  await change.activate([input.userId], 'member', event.seq);
  await change.saveGroup({ member_count: group.member_count + 1 });
  return { change: change.result(), group: toPreview(change.current) };
}
