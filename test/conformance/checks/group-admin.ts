/** Sections 5 and 6 of the protocol, continued: members, ownership, muting, join requests. */
import { check } from '../connection.js';
import type { Check } from '../suite.js';
import { group, text } from './groups.js';

export const groupAdminChecks: Check[] = [
  {
    name: 'group:add-members and group:members: added users hear members.added; members page owner first, then by name',
    async run(context) {
      const { alice, bob, conversationId } = await group(context);
      const dave = await context.connect('dave');
      const daveId = context.userId('dave');
      await bob.fails('group:add-members', { conversationId, userIds: [daveId] }, 'forbidden');
      await alice.fails('group:add-members', { conversationId, userIds: [context.userId('nobody')] }, 'not_found');
      const added = await alice.ok('group:add-members', { conversationId, userIds: [daveId] });
      check(added.conversation.memberCount === 4, `memberCount is ${added.conversation.memberCount}, not 4`);
      await dave.waitFor(
        'message:new',
        (event) => event.conversationId === conversationId && event.body.type === 'system' && event.body.event.kind === 'members.added',
        'members.added for the added user',
      );

      const first = await bob.ok('group:members', { conversationId, limit: 2 });
      check(first.members[0]?.userId === context.userId('alice') && first.members[0].role === 'owner', 'the owner is not listed first');
      check(first.members.length === 2 && first.cursor !== null, 'a page of 2 of 4 members has no cursor');
      const rest = await bob.ok('group:members', { conversationId, limit: 2, cursor: first.cursor! });
      const ids = [...first.members, ...rest.members].map((member) => member.userId);
      const expected = ['alice', 'bob', 'carol', 'dave'].map((name) => context.userId(name));
      check(ids.join() === expected.join(), `members are listed as ${ids.join()}`);
      check(rest.cursor === null, 'the last page has a cursor');
      check(first.users.some((user) => user.id === context.userId('bob')), 'the members page lacks their profiles');
      await bob.fails('group:members', { conversationId, cursor: 'not-a-cursor-of-yours' }, 'invalid_payload');
      const stranger = await context.connect('erin');
      await stranger.fails('group:members', { conversationId }, 'not_found');
    },
  },
  {
    name: 'group:transfer-ownership and group:mute-member: owner.changed, the old owner an admin; a muted member may not post',
    async run(context) {
      const { alice, bob, carol, conversationId } = await group(context);
      const bobId = context.userId('bob');
      const carolId = context.userId('carol');
      await bob.fails('group:transfer-ownership', { conversationId, userId: carolId }, 'forbidden');
      const transferred = await alice.ok('group:transfer-ownership', { conversationId, userId: bobId });
      check(transferred.conversation.role === 'admin', `the former owner's role is ${transferred.conversation.role}`);
      await carol.waitFor(
        'message:new',
        (event) => event.body.type === 'system' && event.body.event.kind === 'owner.changed' && event.body.event.userId === bobId,
        'owner.changed',
      );
      await alice.fails('group:transfer-ownership', { conversationId, userId: carolId }, 'forbidden');

      await carol.fails('group:mute-member', { conversationId, userId: bobId, muted: true }, 'forbidden');
      await bob.ok('group:mute-member', { conversationId, userId: carolId, muted: true });
      await carol.waitFor('message:new', (event) => event.body.type === 'system' && event.body.event.kind === 'member.muted');
      await carol.fails('message:send', { conversationId, clientId: context.clientId(), body: text('muted?') }, 'muted');
      await alice.ok('group:mute-member', { conversationId, userId: carolId, muted: false });
      await carol.ok('message:send', { conversationId, clientId: context.clientId(), body: text('free again') });
    },
  },
  {
    name: 'join requests: with approval a link files a request (join-request:new); approval adds, rejection tells (join-request:decided)',
    async run(context) {
      const { alice, bob, conversationId } = await group(context);
      await bob.fails('group:set-join-policy', { conversationId, joinPolicy: 'approval' }, 'forbidden');
      await alice.ok('group:set-join-policy', { conversationId, joinPolicy: 'approval' });
      await bob.waitFor('message:new', (event) => event.body.type === 'system' && event.body.event.kind === 'group.join-policy');
      const { invite } = await alice.ok('invite:create', { conversationId });
      const { invites } = await alice.ok('invite:list', { conversationId });
      check(invites.some((listed) => listed.code === invite.code), 'invite:list lacks the new link');
      await bob.fails('invite:list', { conversationId }, 'forbidden');

      const dave = await context.connect('dave');
      const daveId = context.userId('dave');
      const asked = await dave.ok('invite:join', { code: invite.code });
      check(asked.status === 'requested', `invite:join answered ${asked.status}, not requested`);
      await alice.waitFor('join-request:new', (event) => event.userId === daveId && event.conversationId === conversationId);
      const pending = await alice.ok('group:join-requests', { conversationId });
      check(pending.requests.some((request) => request.userId === daveId), 'group:join-requests lacks the request');
      await bob.fails('group:join-requests', { conversationId }, 'forbidden');
      await bob.fails('group:decide-request', { conversationId, userId: daveId, approve: true }, 'forbidden');

      await alice.ok('group:decide-request', { conversationId, userId: daveId, approve: true });
      await dave.waitFor('join-request:decided', (event) => event.approved && event.group.id === conversationId);
      const joinedAt = dave.events.findIndex(
        ({ name, payload }) => name === 'message:new' && JSON.stringify(payload).includes('"member.joined"'),
      );
      const decidedAt = dave.events.findIndex(({ name }) => name === 'join-request:decided');
      check(joinedAt !== -1 && joinedAt < decidedAt, 'member.joined did not reach the requester before join-request:decided');

      const erin = await context.connect('erin');
      await erin.ok('invite:join', { code: invite.code });
      await alice.waitFor('join-request:new', (event) => event.userId === context.userId('erin'));
      await alice.ok('group:decide-request', { conversationId, userId: context.userId('erin'), approve: false });
      await erin.waitFor('join-request:decided', (event) => !event.approved);
      await alice.fails('group:decide-request', { conversationId, userId: context.userId('erin'), approve: true }, 'not_found');

      await alice.ok('group:set-join-policy', { conversationId, joinPolicy: 'closed' });
      const frank = await context.connect('frank');
      await frank.fails('invite:join', { code: invite.code }, 'join_closed');
    },
  },
];
