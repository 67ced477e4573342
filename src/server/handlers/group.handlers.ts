import type { CommandHandlers, HandlerDeps } from './command.js';

type GroupCommand =
  | 'group:create'
  | 'group:update'
  | 'group:add-members'
  | 'group:remove-member'
  | 'group:set-role'
  | 'group:transfer-ownership'
  | 'group:mute-member'
  | 'group:mute-all'
  | 'group:set-join-policy'
  | 'group:leave'
  | 'group:dismiss'
  | 'group:members'
  | 'group:confirm-announcement'
  | 'group:announcement-confirmations'
  | 'group:ban-member'
  | 'group:unban-member'
  | 'group:bans';

/** Group commands, made by the caller through the groups command API (groups/groups.ts). */
export function createGroupHandlers({ groups, fanOut, accounts }: HandlerDeps): CommandHandlers<GroupCommand> {
  return {
    async 'group:create'({ name, avatar, description, memberIds }, { user }) {
      const created = await groups.create({
        ownerId: user.id,
        name,
        avatar: avatar ?? null,
        description: description ?? '',
        memberIds,
      });
      const involved = created.members.map((member) => member.userId);
      return groups.resultFor(created.conversationId, user, involved);
    },

    async 'group:update'({ conversationId, ...changes }, { user }) {
      await groups.update(conversationId, user.id, changes);
      return groups.resultFor(conversationId, user);
    },

    async 'group:add-members'({ conversationId, userIds }, { user }) {
      await groups.addMembers(conversationId, user.id, userIds);
      return groups.resultFor(conversationId, user, userIds);
    },

    async 'group:remove-member'({ conversationId, userId }, { user }) {
      await groups.removeMember(conversationId, user.id, userId);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:set-role'({ conversationId, userId, role }, { user }) {
      await groups.setRole(conversationId, user.id, userId, role);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:transfer-ownership'({ conversationId, userId }, { user }) {
      await groups.transferOwnership(conversationId, user.id, userId);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:mute-member'({ conversationId, userId, muted }, { user }) {
      await groups.muteMember(conversationId, user.id, userId, muted);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:mute-all'({ conversationId, muted }, { user }) {
      await groups.muteAll(conversationId, user.id, muted);
      return groups.resultFor(conversationId, user);
    },

    async 'group:set-join-policy'({ conversationId, joinPolicy }, { user }) {
      await groups.setJoinPolicy(conversationId, user.id, joinPolicy);
      return groups.resultFor(conversationId, user);
    },

    async 'group:leave'({ conversationId }, { user }) {
      await groups.leave(conversationId, user.id);
      return groups.resultFor(conversationId, user);
    },

    async 'group:dismiss'({ conversationId }, { user }) {
      await groups.dismiss(conversationId, user.id);
      return groups.resultFor(conversationId, user);
    },

    'group:members'({ conversationId, cursor, limit }, { user }) {
      return groups.members(conversationId, user.id, { cursor: cursor ?? null, limit });
    },

    async 'group:confirm-announcement'({ conversationId, announcementSeq }, { socket, user }) {
      const { conversation, confirmation } = await groups.confirmAnnouncement(conversationId, user.id, announcementSeq);
      if (confirmation.confirmed) {
        fanOut.conversationChanged(user.id, conversation, socket);
        const { confirmedCount, memberCount } = confirmation;
        fanOut.announcementConfirmed(await groups.managerIds(conversationId), {
          conversationId,
          announcementSeq,
          userId: user.id,
          confirmedCount,
          memberCount,
        });
      }
      return { conversation };
    },

    'group:announcement-confirmations'({ conversationId }, { user }) {
      return groups.announcementConfirmations(conversationId, user.id);
    },

    async 'group:ban-member'({ conversationId, userId }, { user }) {
      await groups.banMember(conversationId, user.id, userId);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:unban-member'({ conversationId, userId }, { user }) {
      await groups.liftBan(conversationId, user.id, userId);
      return groups.resultFor(conversationId, user, [userId]);
    },

    async 'group:bans'({ conversationId }, { user }) {
      const bans = await groups.bans(conversationId, user.id);
      return { bans, users: await accounts.users(bans.map((ban) => ban.userId)) };
    },
  };
}
