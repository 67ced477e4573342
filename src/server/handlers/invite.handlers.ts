import type { JoinRequest, User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import type { CommandHandlers, HandlerDeps } from './command.js';

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
  inviteLimit,
  groups,
  accounts,
}: HandlerDeps): CommandHandlers<InviteCommand> {
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
    fanOut.joinRequested(await groups.managerIds(request.conversationId), { ...request, user });
  }

  return {
    async 'invite:create'({ conversationId, expiresAt, maxUses }, { user }) {
      return { invite: await groups.createInvite(conversationId, user.id, { expiresAt, maxUses }) };
    },

    async 'invite:list'({ conversationId }, { user }) {
      return { invites: await groups.listInvites(conversationId, user.id) };
    },

    async 'invite:revoke'({ conversationId, code }, { user }) {
      return { invite: await groups.revokeInvite(conversationId, user.id, code) };
    },

    async 'invite:preview'({ code }, { user }) {
      await limitGuessing(user.id);
      return groups.previewInvite(code, user.id);
    },

    async 'invite:join'({ code }, { user }) {
      await limitGuessing(user.id);
      const outcome = await groups.joinWithInvite(code, user.id);
      if (outcome.status === 'requested') {
        if (outcome.request) await tellManagers(outcome.request, user);
        return { status: 'requested', group: outcome.group };
      }
      return { status: 'joined', ...(await groups.resultFor(outcome.conversationId, user)) };
    },

    async 'group:join-requests'({ conversationId }, { user }) {
      const requests = await groups.joinRequests(conversationId, user.id);
      return { requests, users: await accounts.users(requests.map((request) => request.userId)) };
    },

    async 'group:decide-request'({ conversationId, userId, approve }, { user }) {
      // Joined the room and got the event first: the decision finds the conversation there.
      const decision = await groups.decideJoinRequest(conversationId, user.id, userId, approve);
      fanOut.joinRequestDecided(userId, {
        conversationId,
        approved: approve,
        group: decision.group,
      });
      return groups.resultFor(conversationId, user, [userId]);
    },
  };
}
