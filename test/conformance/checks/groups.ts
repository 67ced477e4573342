/** Sections 5 and 6 of the protocol: groups, their system events, roles, invite links. */
import { check } from '../connection.js';
import type { Check, CheckContext } from '../suite.js';

export const text = (value: string) => ({ type: 'text' as const, text: value });

/** Alice's group with Bob and Carol as members, all three connected. */
export async function group(context: CheckContext) {
  const bob = await context.connect('bob');
  const carol = await context.connect('carol');
  const alice = await context.connect('alice');
  const created = await alice.ok('group:create', {
    name: 'Conformance',
    memberIds: [context.userId('bob'), context.userId('carol')],
  });
  return { alice, bob, carol, conversationId: created.conversation.id, created };
}

export const groupChecks: Check[] = [
  {
    name: 'group:create: the creator owns it; members get group.created and members.added live',
    async run(context) {
      const { bob, conversationId, created } = await group(context);
      check(created.conversation.role === 'owner' && created.conversation.memberCount === 3, 'the group is not as created');
      const kinds = ['group.created', 'members.added'];
      for (const kind of kinds) {
        await bob.waitFor(
          'message:new',
          (event) => event.conversationId === conversationId && event.body.type === 'system' && event.body.event.kind === kind,
          `the ${kind} event`,
        );
      }
    },
  },
  {
    name: 'groups: members get messages live; a removed member stops at once',
    async run(context) {
      const { alice, bob, carol, conversationId } = await group(context);
      await alice.ok('group:remove-member', { conversationId, userId: context.userId('carol') });
      await carol.waitFor('message:new', (event) => event.body.type === 'system' && event.body.event.kind === 'member.removed');
      const { message } = await bob.ok('message:send', { conversationId, clientId: context.clientId(), body: text('after') });
      await alice.waitFor('message:new', (event) => event.id === message.id);
      check(!carol.received('message:new').some((event) => event.id === message.id), 'the removed member received a message');
      await carol.fails('message:send', { conversationId, clientId: context.clientId(), body: text('x') }, 'not_found');
    },
  },
  {
    name: 'groups: roles decide who may do what',
    async run(context) {
      const { alice, bob, conversationId } = await group(context);
      await bob.fails('group:remove-member', { conversationId, userId: context.userId('carol') }, 'forbidden');
      await bob.fails('group:update', { conversationId, name: 'Mine' }, 'forbidden');
      await alice.fails('group:leave', { conversationId }, 'owner_must_transfer');
      await alice.ok('group:set-role', { conversationId, userId: context.userId('bob'), role: 'admin' });
      await bob.ok('group:update', { conversationId, name: 'Renamed' });
      await alice.ok('group:mute-all', { conversationId, muted: true });
      const carol = await context.connect('carol');
      await carol.fails('message:send', { conversationId, clientId: context.clientId(), body: text('hush') }, 'muted');
      await bob.ok('message:send', { conversationId, clientId: context.clientId(), body: text('admins may') });
    },
  },
  {
    name: 'invite links: preview and join by a non-member; a revoked code is invalid',
    async run(context) {
      const { alice, conversationId } = await group(context);
      const { invite } = await alice.ok('invite:create', { conversationId });
      const dave = await context.connect('dave');
      const preview = await dave.ok('invite:preview', { code: invite.code });
      check(preview.membership === 'none' && preview.group.id === conversationId, 'the preview is wrong');
      const joined = await dave.ok('invite:join', { code: invite.code });
      check(joined.status === 'joined' && joined.conversation.membership === 'active', 'the join did not make a member');
      await alice.waitFor('message:new', (event) => event.body.type === 'system' && event.body.event.kind === 'member.joined');
      await alice.ok('invite:revoke', { conversationId, code: invite.code });
      const erin = await context.connect('erin');
      await erin.fails('invite:preview', { code: invite.code }, 'invite_invalid');
    },
  },
  {
    name: 'group:dismiss: the timeline closes for good',
    async run(context) {
      const { alice, bob, conversationId } = await group(context);
      await alice.ok('group:dismiss', { conversationId });
      await bob.waitFor('message:new', (event) => event.body.type === 'system' && event.body.event.kind === 'group.dismissed');
      await bob.fails('message:send', { conversationId, clientId: context.clientId(), body: text('late') }, 'group_dismissed');
    },
  },
];
