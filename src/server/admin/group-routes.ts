import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddMembersPayload,
  AnnouncementConfirmationsResult,
  GroupBansResult,
  GroupSettingsPayload,
  InviteResult,
  ListInvitesResult,
  MembersResult,
} from '../../protocol/schemas.js';
import { requireLiveUsers, type AdminDeps } from './deps.js';
import { AdminError } from './errors.js';
import {
  CreateGroupBody,
  CreateInviteBody,
  GroupParams,
  GroupSummaryResult,
  InviteParams,
  JoinPolicyBody,
  MemberParams,
  MembersQuery,
  MutedBody,
  RoleBody,
} from './schemas.js';

const tags = ['groups'];

/**
 * Groups through the admin API. Every change is made with the group owner's authority,
 * by the same code as the owner's own commands: it shows in the timeline as the owner's.
 */
export function addGroupRoutes(app: FastifyInstance, { domain }: AdminDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { groups } = domain;

  async function summary(groupId: string): Promise<z.infer<typeof GroupSummaryResult>> {
    const ownerId = await groups.ownerOf(groupId);
    const view = await groups.view(groupId, ownerId);
    if (!view) throw new AdminError(404, 'not_found', 'no such group');
    const { id, name, avatar, description, announcement, memberCount, mutedAll, joinPolicy, dismissed } = view;
    const { lastSeq, createdAt, updatedAt } = view;
    return {
      group: { id, name, avatar, description, announcement, memberCount, mutedAll, joinPolicy, dismissed, lastSeq, createdAt, updatedAt, ownerId },
    };
  }

  /** A change made with the owner's authority, answered with the group as it now is. */
  async function asOwner(groupId: string, change: (ownerId: string) => Promise<unknown>) {
    await change(await groups.ownerOf(groupId));
    return summary(groupId);
  }

  api.post('/groups', {
    schema: {
      tags,
      operationId: 'createGroup',
      summary: 'Create a group with its owner and first members',
      body: CreateGroupBody,
      response: { 201: GroupSummaryResult },
    },
    handler: async ({ body }, reply) => {
      await requireLiveUsers(domain.accounts, [body.ownerId, ...body.memberIds]);
      const created = await groups.create({
        ownerId: body.ownerId,
        name: body.name,
        avatar: body.avatar ?? null,
        description: body.description ?? '',
        announcement: body.announcement,
        joinPolicy: body.joinPolicy,
        memberIds: body.memberIds,
      });
      return reply.status(201).send(await summary(created.conversationId));
    },
  });

  api.get('/groups/:groupId', {
    schema: { tags, operationId: 'getGroup', summary: 'Read a group', params: GroupParams, response: { 200: GroupSummaryResult } },
    handler: ({ params }) => summary(params.groupId),
  });

  api.patch('/groups/:groupId', {
    schema: {
      tags,
      operationId: 'updateGroup',
      summary: "Change a group's name, picture, description or announcement",
      params: GroupParams,
      body: GroupSettingsPayload,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params, body }) =>
      asOwner(params.groupId, (ownerId) => groups.update(params.groupId, ownerId, body)),
  });

  api.put('/groups/:groupId/join-policy', {
    schema: {
      tags,
      operationId: 'setGroupJoinPolicy',
      summary: 'Who may join with an invite link: at once, after approval, or nobody',
      params: GroupParams,
      body: JoinPolicyBody,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params, body }) =>
      asOwner(params.groupId, (ownerId) => groups.setJoinPolicy(params.groupId, ownerId, body.joinPolicy)),
  });

  api.put('/groups/:groupId/muted', {
    schema: {
      tags,
      operationId: 'setGroupMuted',
      summary: 'Mute the group for everyone but the owner and admins, or unmute it',
      params: GroupParams,
      body: MutedBody,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params, body }) => asOwner(params.groupId, (ownerId) => groups.muteAll(params.groupId, ownerId, body.muted)),
  });

  api.delete('/groups/:groupId', {
    schema: {
      tags,
      operationId: 'dismissGroup',
      summary: 'Dismiss a group: its timeline and its links close for good',
      params: GroupParams,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params }) => asOwner(params.groupId, (ownerId) => groups.dismiss(params.groupId, ownerId)),
  });

  api.get('/groups/:groupId/announcement/confirmations', {
    schema: {
      tags,
      operationId: 'getAnnouncementConfirmations',
      summary: "Who confirmed the group's current announcement, and who has not yet",
      description:
        'Counts over the active members, and at most 200 ids of each list, by id. `announcementSeq` is ' +
        "the announcement's version (the seq of the event that set it); 0 when the group has none.",
      params: GroupParams,
      response: { 200: AnnouncementConfirmationsResult },
    },
    handler: ({ params }) => groups.announcementConfirmationsOf(params.groupId),
  });

  api.get('/groups/:groupId/members', {
    schema: {
      tags,
      operationId: 'listGroupMembers',
      summary: 'A page of the members: the owner, admins, then members, each by name',
      params: GroupParams,
      querystring: MembersQuery,
      response: { 200: MembersResult },
    },
    handler: ({ params, query }) => groups.membersOf(params.groupId, { cursor: query.cursor ?? null, limit: query.limit }),
  });

  api.post('/groups/:groupId/members', {
    schema: {
      tags,
      operationId: 'addGroupMembers',
      summary: 'Add members (their open connections receive the group at once)',
      params: GroupParams,
      body: AddMembersPayload.omit({ conversationId: true }),
      response: { 200: GroupSummaryResult },
    },
    handler: async ({ params, body }) => {
      await requireLiveUsers(domain.accounts, body.userIds);
      return asOwner(params.groupId, (ownerId) => groups.addMembers(params.groupId, ownerId, body.userIds));
    },
  });

  api.delete('/groups/:groupId/members/:userId', {
    schema: {
      tags,
      operationId: 'removeGroupMember',
      summary: 'Remove a member (they stop receiving at once); the owner must hand over first',
      params: MemberParams,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params }) =>
      asOwner(params.groupId, (ownerId) => groups.removeMember(params.groupId, ownerId, params.userId)),
  });

  api.put('/groups/:groupId/members/:userId/role', {
    schema: {
      tags,
      operationId: 'setGroupMemberRole',
      summary: "Change a member's role; `owner` hands the group over",
      params: MemberParams,
      body: RoleBody,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params, body }) =>
      asOwner(params.groupId, (ownerId) => groups.setRole(params.groupId, ownerId, params.userId, body.role)),
  });

  api.put('/groups/:groupId/members/:userId/muted', {
    schema: {
      tags,
      operationId: 'setGroupMemberMuted',
      summary: 'Mute or unmute one member',
      params: MemberParams,
      body: MutedBody,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params, body }) =>
      asOwner(params.groupId, (ownerId) => groups.muteMember(params.groupId, ownerId, params.userId, body.muted)),
  });

  api.post('/groups/:groupId/invites', {
    schema: {
      tags,
      operationId: 'createInvite',
      summary: 'Create an invite link',
      params: GroupParams,
      body: CreateInviteBody,
      response: { 201: InviteResult },
    },
    handler: async ({ params, body }, reply) => {
      const invite = await groups.createInvite(params.groupId, await groups.ownerOf(params.groupId), body);
      return reply.status(201).send({ invite });
    },
  });

  api.get('/groups/:groupId/invites', {
    schema: { tags, operationId: 'listInvites', summary: 'The usable invite links, newest first', params: GroupParams, response: { 200: ListInvitesResult } },
    handler: async ({ params }) => ({ invites: await groups.invitesOf(params.groupId) }),
  });

  api.delete('/groups/:groupId/invites/:code', {
    schema: { tags, operationId: 'revokeInvite', summary: 'Revoke an invite link', params: InviteParams, response: { 200: InviteResult } },
    handler: async ({ params }) => {
      const ownerId = await groups.ownerOf(params.groupId);
      return { invite: await groups.revokeInvite(params.groupId, ownerId, params.code) };
    },
  });

  api.get('/groups/:groupId/bans', {
    schema: {
      tags,
      operationId: 'listGroupBans',
      summary: 'The users banned from a group, newest first',
      params: GroupParams,
      response: { 200: GroupBansResult },
    },
    handler: async ({ params }) => {
      const bans = await groups.bansOf(params.groupId);
      return { bans, users: await domain.accounts.users(bans.map((ban) => ban.userId)) };
    },
  });

  api.put('/groups/:groupId/bans/:userId', {
    schema: {
      tags,
      operationId: 'banGroupMember',
      summary: 'Ban a user from a group (a member is removed too); links and adds refuse them until the ban is lifted',
      params: MemberParams,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params }) => asOwner(params.groupId, (ownerId) => groups.banMember(params.groupId, ownerId, params.userId)),
  });

  api.delete('/groups/:groupId/bans/:userId', {
    schema: {
      tags,
      operationId: 'liftGroupBan',
      summary: 'Lift a ban (nobody is added back)',
      params: MemberParams,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params }) => asOwner(params.groupId, (ownerId) => groups.liftBan(params.groupId, ownerId, params.userId)),
  });
}
