/** Section 15 of the protocol: blocking between users, and bans from groups. */
import { check } from '../connection.js';
import type { Check } from '../suite.js';
import { group, text } from './groups.js';

export const blockingChecks: Check[] = [
  {
    name: 'user:block: recipient_unavailable both ways in the single chat, no new chat or add; the other devices hear it',
    async run(context) {
      const alice = await context.connect('alice');
      const aliceTab = await context.connect('alice');
      const bob = await context.connect('bob');
      const carol = await context.connect('carol');
      const aliceId = context.userId('alice');
      const bobId = context.userId('bob');
      const { conversation } = await alice.ok('conversation:start', { userId: bobId });
      const conversationId = conversation.id;
      await carol.ok('conversation:start', { userId: aliceId });
      const listed = await alice.ok('user:block', { userId: bobId });
      check(listed.blocked.length === 1 && listed.blocked[0]?.userId === bobId, 'the block list lacks the blocked user');
      await aliceTab.waitFor('user:block-changed', (event) => event.user.id === bobId && event.blocked, 'user:block-changed');
      await bob.fails('message:send', { conversationId, clientId: context.clientId(), body: text('hi') }, 'recipient_unavailable');
      await alice.fails('message:send', { conversationId, clientId: context.clientId(), body: text('hi') }, 'recipient_unavailable');
      await alice.fails('user:block', { userId: aliceId }, 'invalid_payload');
      await alice.ok('user:block', { userId: context.userId('carol') });
      const { conversation: team } = await carol.ok('group:create', { name: 'Team', memberIds: [] });
      await carol.fails('group:add-members', { conversationId: team.id, userIds: [aliceId] }, 'recipient_unavailable');
      const dave = await context.connect('dave');
      await alice.ok('user:block', { userId: context.userId('dave') });
      await dave.fails('conversation:start', { userId: aliceId }, 'recipient_unavailable');
      const later = await context.connect('alice');
      check((await later.ok('user:blocks', {})).blocked.length === 3, 'user:blocks does not list the three blocks');
      await alice.ok('user:unblock', { userId: bobId });
      await bob.ok('message:send', { conversationId, clientId: context.clientId(), body: text('hi again') });
    },
  },
  {
    name: 'group:ban-member: member.removed with banned; links, adds refuse with banned_from_group until group:unban-member',
    async run(context) {
      const { alice, bob, carol, conversationId } = await group(context);
      const carolId = context.userId('carol');
      const { invite } = await alice.ok('invite:create', { conversationId });
      await carol.fails('group:ban-member', { conversationId, userId: context.userId('bob') }, 'forbidden');
      await alice.ok('group:set-role', { conversationId, userId: context.userId('bob'), role: 'admin' });
      await bob.ok('group:ban-member', { conversationId, userId: carolId });
      await carol.waitFor(
        'message:new',
        (event) => event.body.type === 'system' && event.body.event.kind === 'member.removed' && event.body.event.banned === true,
        'member.removed with banned: true',
      );
      await carol.fails('invite:join', { code: invite.code }, 'banned_from_group');
      await alice.fails('group:add-members', { conversationId, userIds: [carolId] }, 'banned_from_group');
      const { bans } = await bob.ok('group:bans', { conversationId });
      check(bans.length === 1 && bans[0]?.userId === carolId, 'group:bans does not list the banned user');
      await alice.ok('group:unban-member', { conversationId, userId: carolId });
      check((await bob.ok('group:bans', { conversationId })).bans.length === 0, 'the ban is still listed once lifted');
      await alice.ok('group:add-members', { conversationId, userIds: [carolId] });
    },
  },
];
