import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddMembersPayload,
  GroupSettingsPayload,
  InviteResult,
  ListInvitesResult,
  MembersResult,
} from '../../protocol/schemas.js';
import { createInvite } from '../domain/invites.js';
import type { GroupActor, GroupChange } from '../storage/group-storage.js';
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
export function addGroupRoutes(app: FastifyInstance, { domain, storage }: AdminDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { groups } = domain;

  async function summary(groupId: string): Promise<z.infer<typeof GroupSummaryResult>> {
    const ownerId = await groups.ownerOf(groupId);
    const view = await storage.conversations.read.view(groupId, ownerId);
    if (view?.type !== 'group') throw new AdminError(404, 'not_found', 'no such group');
    const { id, name, avatar, description, announcement, memberCount, mutedAll, joinPolicy, dismissed } = view;
    const { lastSeq, createdAt, updatedAt } = view;
    return {
      group: { id, name, avatar, description, announcement, memberCount, mutedAll, joinPolicy, dismissed, lastSeq, createdAt, updatedAt, ownerId },
    };
  }

  async function asOwner(groupId: string, apply: (actor: GroupActor) => Promise<GroupChange>) {
    await groups.change(groupId, await groups.ownerOf(groupId), apply);
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
      await requireLiveUsers(storage, [body.ownerId, ...body.memberIds]);
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
      asOwner(params.groupId, (actor) => storage.updateGroup({ ...actor, changes: body })),
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
      asOwner(params.groupId, (actor) => storage.setJoinPolicy({ ...actor, joinPolicy: body.joinPolicy })),
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
    handler: ({ params, body }) => asOwner(params.groupId, (actor) => storage.muteAll({ ...actor, muted: body.muted })),
  });

  api.delete('/groups/:groupId', {
    schema: {
      tags,
      operationId: 'dismissGroup',
      summary: 'Dismiss a group: its timeline and its links close for good',
      params: GroupParams,
      response: { 200: GroupSummaryResult },
    },
    handler: ({ params }) => asOwner(params.groupId, (actor) => storage.dismissGroup(actor)),
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
    handler: async ({ params, query }) => {
      await groups.ownerOf(params.groupId);
      return storage.listMembers(params.groupId, { cursor: query.cursor ?? null, limit: query.limit });
    },
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
      await requireLiveUsers(storage, body.userIds);
      await groups.addMembers(params.groupId, await groups.ownerOf(params.groupId), body.userIds);
      return summary(params.groupId);
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
      asOwner(params.groupId, (actor) => storage.removeMember({ ...actor, userId: params.userId })),
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
    handler: ({ params, body }) => {
      const { groupId, userId } = params;
      const { role } = body;
      return asOwner(groupId, (actor) =>
        role === 'owner' ? storage.transferOwnership({ ...actor, userId }) : storage.setMemberRole({ ...actor, userId, role }),
      );
    },
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
      asOwner(params.groupId, (actor) => storage.muteMember({ ...actor, userId: params.userId, muted: body.muted })),
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
      const actorId = await groups.ownerOf(params.groupId);
      const invite = await createInvite(domain.deps, { conversationId: params.groupId, actorId, ...body });
      return reply.status(201).send({ invite });
    },
  });

  api.get('/groups/:groupId/invites', {
    schema: { tags, operationId: 'listInvites', summary: 'The usable invite links, newest first', params: GroupParams, response: { 200: ListInvitesResult } },
    handler: async ({ params }) => {
      await groups.ownerOf(params.groupId);
      return { invites: await storage.listInvites(params.groupId, domain.deps.clock.now()) };
    },
  });

  api.delete('/groups/:groupId/invites/:code', {
    schema: { tags, operationId: 'revokeInvite', summary: 'Revoke an invite link', params: InviteParams, response: { 200: InviteResult } },
    handler: async ({ params }) => {
      const actorId = await groups.ownerOf(params.groupId);
      const now = domain.deps.clock.now();
      return { invite: await storage.revokeInvite({ conversationId: params.groupId, actorId, now, code: params.code }) };
    },
  });
}
