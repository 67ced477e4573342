import type { GroupResult, User } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import type { GroupActor, GroupChange } from '../storage/group-storage.js';
import type { CommandHandlers, HandlerDeps } from './command.js';
import { groupResult } from './group-changes.js';

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
  | 'group:members';

/** Group commands, made by the caller through the group service (see domain/groups.ts). */
export function createGroupHandlers({
  storage,
  membership,
  groups,
}: HandlerDeps): CommandHandlers<GroupCommand> {
  async function change(
    conversationId: string,
    caller: User,
    apply: (actor: GroupActor) => Promise<GroupChange>,
    involvedIds: readonly string[] = [],
  ): Promise<GroupResult> {
    await groups.change(conversationId, caller.id, apply);
    return groupResult(storage, conversationId, caller, involvedIds);
  }

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
      return groupResult(storage, created.conversationId, user, involved);
    },

    'group:update'({ conversationId, ...changes }, { user }) {
      return change(conversationId, user, (actor) => storage.updateGroup({ ...actor, changes }));
    },

    async 'group:add-members'({ conversationId, userIds }, { user }) {
      await groups.addMembers(conversationId, user.id, userIds);
      return groupResult(storage, conversationId, user, userIds);
    },

    'group:remove-member'({ conversationId, userId }, { user }) {
      return change(
        conversationId,
        user,
        (actor) => storage.removeMember({ ...actor, userId }),
        [userId],
      );
    },

    'group:set-role'({ conversationId, userId, role }, { user }) {
      return change(
        conversationId,
        user,
        (actor) => storage.setMemberRole({ ...actor, userId, role }),
        [userId],
      );
    },

    'group:transfer-ownership'({ conversationId, userId }, { user }) {
      return change(
        conversationId,
        user,
        (actor) => storage.transferOwnership({ ...actor, userId }),
        [userId],
      );
    },

    'group:mute-member'({ conversationId, userId, muted }, { user }) {
      return change(
        conversationId,
        user,
        (actor) => storage.muteMember({ ...actor, userId, muted }),
        [userId],
      );
    },

    'group:mute-all'({ conversationId, muted }, { user }) {
      return change(conversationId, user, (actor) => storage.muteAll({ ...actor, muted }));
    },

    'group:set-join-policy'({ conversationId, joinPolicy }, { user }) {
      return change(conversationId, user, (actor) =>
        storage.setJoinPolicy({ ...actor, joinPolicy }),
      );
    },

    'group:leave'({ conversationId }, { user }) {
      return change(conversationId, user, (actor) => storage.leaveGroup(actor));
    },

    'group:dismiss'({ conversationId }, { user }) {
      return change(conversationId, user, (actor) => storage.dismissGroup(actor));
    },

    async 'group:members'({ conversationId, cursor, limit }, { user }) {
      const { conversation } = await membership.requireMember(conversationId, user.id);
      if (conversation.type !== 'group') throw new CommandError('not_found', 'no such group');
      return storage.listMembers(conversationId, { cursor: cursor ?? null, limit });
    },
  };
}
