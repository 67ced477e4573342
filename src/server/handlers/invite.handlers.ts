import type { JoinRequest, User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { createInvite } from '../domain/invites.js';
import { isManager, requireLiveMember, requireManager } from '../groups/rules.js';
import type { CommandHandlers, HandlerDeps } from './command.js';
import { groupResult, groupView, shownUserIds } from './group-changes.js';

type InviteCommand =
  | 'invite:create'
  | 'invite:list'
  | 'invite:revoke'
  | 'invite:preview'
  | 'invite:join'
  | 'group:join-requests'
  | 'group:decide-request';

/** Invite links, and the join requests they file in groups that want approval. */
export function createInviteHandlers({
  fanOut,
  storage,
  membership,
  clock,
  inviteLimit,
  timeline,
  domain,
}: HandlerDeps): CommandHandlers<InviteCommand> {
  /** Reads for the owner and admins of a live group, authorized from memory. */
  async function requireManagerOf(conversationId: string, userId: string): Promise<void> {
    const { conversation, member } = await membership.requireMember(conversationId, userId);
    const standing = { role: member.role, state: 'active' as const };
    requireLiveMember(conversation, standing);
    requireManager(standing);
  }

  // Codes are guessed by trying them: each try costs one of the user's tokens, whatever
  // connection it comes from.
  async function limitGuessing(userId: string): Promise<void> {
    const waitMs = await inviteLimit.take(userId);
    if (waitMs > 0) {
      throw new CommandError('rate_limited', 'too many invite codes tried', {
        retryAfterMs: waitMs,
      });
    }
  }

  async function tellManagers(request: JoinRequest, user: User): Promise<void> {
    const conversation = await membership.get(request.conversationId);
    const managers = [...(conversation?.members ?? [])]
      .filter(([, member]) => isManager(member.role))
      .map(([userId]) => userId);
    fanOut.joinRequested(managers, { ...request, user });
  }

  return {
    async 'invite:create'({ conversationId, expiresAt, maxUses }, { user }) {
      return { invite: await createInvite(domain, { conversationId, actorId: user.id, expiresAt, maxUses }) };
    },

    async 'invite:list'({ conversationId }, { user }) {
      await requireManagerOf(conversationId, user.id);
      return { invites: await storage.listInvites(conversationId, clock.now()) };
    },

    async 'invite:revoke'({ conversationId, code }, { user }) {
      await membership.requireMember(conversationId, user.id);
      const now = clock.now();
      const invite = await storage.revokeInvite({ conversationId, actorId: user.id, now, code });
      return { invite };
    },

    async 'invite:preview'({ code }, { user }) {
      await limitGuessing(user.id);
      return storage.previewInvite(code, user.id, clock.now());
    },

    async 'invite:join'({ code }, { user }) {
      await limitGuessing(user.id);
      const outcome = await storage.joinWithInvite({ code, userId: user.id, now: clock.now() });
      if (outcome.status === 'requested') {
        if (outcome.request) await tellManagers(outcome.request, user);
        return { status: 'requested', group: outcome.group };
      }
      if (outcome.change) await timeline.groupChanged(outcome.change);
      const conversation = await groupView(storage, outcome.conversationId, user.id);
      const others = shownUserIds([conversation]).filter((id) => id !== user.id);
      return { status: 'joined', conversation, users: [user, ...(await storage.accounts.read.users(others))] };
    },

    async 'group:join-requests'({ conversationId }, { user }) {
      await requireManagerOf(conversationId, user.id);
      const requests = await storage.listJoinRequests(conversationId);
      return { requests, users: await storage.accounts.read.users(requests.map((request) => request.userId)) };
    },

    async 'group:decide-request'({ conversationId, userId, approve }, { user }) {
      await membership.requireMember(conversationId, user.id);
      const now = clock.now();
      const decision = await storage.decideJoinRequest({
        conversationId,
        actorId: user.id,
        now,
        userId,
        approve,
      });
      // Joined the room and got the event first: the decision finds the conversation there.
      if (decision.change) await timeline.groupChanged(decision.change);
      fanOut.joinRequestDecided(userId, {
        conversationId,
        approved: approve,
        group: decision.group,
      });
      return groupResult(storage, conversationId, user, [userId]);
    },
  };
}
