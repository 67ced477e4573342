/**
 * Invite links and the join requests they file, decided once for every storage: who may
 * make or revoke a link, how a code looks to the user trying it, and what joining does.
 */
import type { GroupPreview, Invite, JoinRequest } from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import { allow, type Decision } from '../decision.js';
import { ChangeDraft } from './change-draft.js';
import {
  isManager,
  toPreview,
  type DecidedChange,
  type GroupSnapshot,
  type GroupState,
  type GroupWrite,
  type InviteMembership,
  type InviteState,
  type MembershipState,
  type NewInvite,
} from './model.js';
import { isActive, liveActor, managersOnly, noRoom, refusal, type Refusal } from './refusals.js';

/** What an invite code and the group it leads to look like to one user. */
export interface InviteStanding {
  revokedAt: number | null;
  expiresAt: number | null;
  maxUses: number | null;
  uses: number;
  dismissed: boolean;
  joinPolicy: GroupState['joinPolicy'];
  /** The user's membership; `none` if they never were a member. */
  membership: MembershipState | 'none';
  /** The user has a pending join request. */
  requested: boolean;
  /** The user is banned from the group. */
  banned: boolean;
}

/**
 * - `member`: already an active member;
 * - `requested`: a request already waits for approval;
 * - `join`: may join now (open policy);
 * - `request`: may file a request (approval policy).
 */
export type InviteVerdict = 'member' | 'requested' | 'join' | 'request';

/** A join as decided: the change's events get their seqs when storage records them. */
export type DecidedJoin =
  | { status: 'joined'; conversationId: string; change: DecidedChange | null }
  | { status: 'requested'; group: GroupPreview; request: JoinRequest | null };

export interface DecidedRequest {
  change: DecidedChange | null;
  group: GroupPreview;
}

export interface InvitePreview {
  group: GroupPreview;
  membership: InviteMembership;
}

/**
 * Judges a code, checks in this order: unknown or revoked, group dismissed, caller banned, caller removed;
 * an active member (or a pending requester while the group wants approval) is answered so
 * whatever the link's state; then expired, used up, closed.
 */
export function judgeInvite(standing: InviteStanding, now: number): InviteVerdict | Refusal {
  if (standing.revokedAt !== null) return invalidInvite();
  if (standing.dismissed) return refusal('group_dismissed', 'the group was dismissed');
  if (standing.banned) return refusal('banned_from_group', "you can't join this group");
  if (standing.membership === 'removed') return refusal('removed_from_group', 'you were removed from this group');
  if (standing.membership === 'active') return 'member';
  if (standing.requested && standing.joinPolicy === 'approval') return 'requested';
  if (standing.expiresAt !== null && now >= standing.expiresAt) {
    return refusal('invite_expired', 'this invite link has expired');
  }
  if (standing.maxUses !== null && standing.uses >= standing.maxUses) {
    return refusal('invite_used_up', 'this invite link has been used up');
  }
  if (standing.joinPolicy === 'closed') return refusal('join_closed', 'this group does not take new members by link');
  return standing.joinPolicy === 'open' ? 'join' : 'request';
}

/** Owner or admin of a live group, while it has fewer than the allowed usable links. */
export function decideCreateInvite(
  snapshot: GroupSnapshot,
  command: NewInvite & { actorId: string },
  now: number,
): Decision<GroupWrite, Invite> {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  if (snapshot.usableInvites >= limits.activeInvitesMax) {
    return refusal('forbidden', `a group has at most ${limits.activeInvitesMax} usable invite links: revoke one first`);
  }
  const invite: InviteState = {
    code: command.code,
    conversationId: live.group.id,
    createdBy: command.actorId,
    createdAt: now,
    expiresAt: command.expiresAt,
    maxUses: command.maxUses,
    uses: 0,
    revokedAt: null,
  };
  return allow([{ kind: 'createInvite', invite }], toInvite(invite));
}

/** Owner or admin; revoking a revoked link changes nothing. */
export function decideRevokeInvite(
  snapshot: GroupSnapshot,
  command: { actorId: string; code: string },
  now: number,
): Decision<GroupWrite, Invite> {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  const { invite } = snapshot;
  if (invite?.conversationId !== live.group.id) return refusal('invite_invalid', 'this group has no such invite link');
  if (invite.revokedAt !== null) return allow([], toInvite(invite));
  return allow([{ kind: 'revokeInvite', code: invite.code, at: now }], toInvite({ ...invite, revokedAt: now }));
}

/** What the link shows to `userId`; refused as joining would be. */
export function decidePreview(snapshot: GroupSnapshot, command: { userId: string }, now: number): Decision<never, InvitePreview> {
  const judged = judge(snapshot, command.userId, now);
  if (!judged.ok) return judged;
  return allow([], { group: toPreview(judged.group), membership: shownMembership[judged.verdict] });
}

/**
 * Open policy: joins (`member.joined`, approvedBy null) and counts a use. Approval: files
 * a request and counts a use, once per pending request.
 */
export function decideJoin(snapshot: GroupSnapshot, command: { userId: string }, now: number): Decision<GroupWrite, DecidedJoin> {
  const judged = judge(snapshot, command.userId, now);
  if (!judged.ok) return judged;
  const { group, invite, verdict } = judged;
  switch (verdict) {
    case 'member':
      return allow([], { status: 'joined', conversationId: group.id, change: null });
    case 'requested':
      return allow([], { status: 'requested', group: toPreview(group), request: null });
    case 'request': {
      const request = { conversationId: group.id, userId: command.userId, requestedAt: now };
      return allow(
        [
          { kind: 'fileJoinRequest', request, inviteCode: invite.code },
          { kind: 'useInvite', code: invite.code },
        ],
        { status: 'requested', group: toPreview(group), request },
      );
    }
    case 'join': {
      const full = noRoom(group.memberCount, 1);
      if (full) return full;
      const draft = new ChangeDraft(group)
        .record(command.userId, { kind: 'member.joined', userId: command.userId, approvedBy: null })
        .activate([command.userId], 'member')
        .saveGroup({ memberCount: group.memberCount + 1 })
        // A request left from when the group wanted approval is answered by joining.
        .write({ kind: 'closeJoinRequests', userIds: [command.userId] })
        .write({ kind: 'useInvite', code: invite.code });
      return allow(draft.writes, { status: 'joined', conversationId: group.id, change: draft.change });
    }
  }
}

/**
 * Owner or admin of a live group, on a pending request. Approval joins the requester
 * (`member.joined` with approvedBy); either way the request is closed.
 */
export function decideJoinRequest(
  snapshot: GroupSnapshot,
  command: { actorId: string; userId: string; approve: boolean },
): Decision<GroupWrite, DecidedRequest> {
  const live = liveActor(snapshot, command.actorId);
  if (!live.ok) return live;
  if (!isManager(live.actor.role)) return managersOnly();
  if (!snapshot.requesterIds.has(command.userId)) return refusal('not_found', 'no pending join request from this user');
  const { group } = live;
  const draft = new ChangeDraft(group).write({ kind: 'closeJoinRequests', userIds: [command.userId] });
  if (!command.approve || isActive(snapshot.members.get(command.userId))) {
    return allow(draft.writes, { change: null, group: toPreview(group) });
  }
  if (snapshot.bannedIds.has(command.userId)) return refusal('banned_from_group', 'this user is banned from the group');
  const full = noRoom(group.memberCount, 1);
  if (full) return full;
  draft
    .record(command.userId, { kind: 'member.joined', userId: command.userId, approvedBy: command.actorId })
    .activate([command.userId], 'member')
    .saveGroup({ memberCount: group.memberCount + 1 });
  return allow(draft.writes, { change: draft.change, group: toPreview(draft.current) });
}

export function toInvite(invite: InviteState): Invite {
  const { code, conversationId, createdBy, createdAt, expiresAt, maxUses, uses, revokedAt } = invite;
  return { code, conversationId, createdBy, createdAt, expiresAt, maxUses, uses, revoked: revokedAt !== null };
}

/** Unknown and revoked codes get the same answer. */
function invalidInvite(): Refusal {
  return refusal('invite_invalid', 'this invite link is not valid');
}

const shownMembership: Record<InviteVerdict, InviteMembership> = {
  member: 'active',
  requested: 'requested',
  join: 'none',
  request: 'none',
};

function judge(
  snapshot: GroupSnapshot,
  userId: string,
  now: number,
): { ok: true; group: GroupState; invite: InviteState; verdict: InviteVerdict } | Refusal {
  const { invite, group } = snapshot;
  if (!invite || !group) return invalidInvite();
  const verdict = judgeInvite(
    {
      revokedAt: invite.revokedAt,
      expiresAt: invite.expiresAt,
      maxUses: invite.maxUses,
      uses: invite.uses,
      dismissed: group.dismissedAt !== null,
      joinPolicy: group.joinPolicy,
      membership: snapshot.members.get(userId)?.state ?? 'none',
      requested: snapshot.requesterIds.has(userId),
      banned: snapshot.bannedIds.has(userId),
    },
    now,
  );
  if (typeof verdict !== 'string') return verdict;
  return { ok: true, group, invite, verdict };
}
