/** Sections 5.5 and 13.9 of the protocol: announcements people confirm, and user cards. */
import { check } from '../connection.js';
import type { Check } from '../suite.js';
import { group } from './groups.js';

export const cardsAndAnnouncementsChecks: Check[] = [
  {
    name: 'group:confirm-announcement: versioned by its event; other devices hear conversation:changed, admins group:announcement-confirmed',
    async run(context) {
      const { alice, bob, carol, conversationId } = await group(context);
      const carolPhone = await context.connect('carol');
      const carolId = context.userId('carol');
      const posted = await alice.ok('group:update', { conversationId, announcement: 'Read me' });
      const announcementSeq = posted.conversation.announcementSeq;
      check(posted.conversation.announcementConfirmed, "the announcement's author has not confirmed it");
      const event = await carol.waitFor(
        'message:new',
        (message) => message.conversationId === conversationId && message.body.type === 'system' && message.body.event.kind === 'group.updated',
        'group.updated',
      );
      check(event.seq === announcementSeq, `announcementSeq is ${announcementSeq}, the event's seq ${event.seq}`);

      await carol.fails('group:confirm-announcement', { conversationId, announcementSeq: announcementSeq + 1 }, 'announcement_changed');
      await carol.fails('group:announcement-confirmations', { conversationId }, 'forbidden');
      const confirmed = await carol.ok('group:confirm-announcement', { conversationId, announcementSeq });
      check(confirmed.conversation.type === 'group' && confirmed.conversation.announcementConfirmed, 'the result is not confirmed');
      const changed = await carolPhone.waitFor('conversation:changed', (c) => c.id === conversationId, 'conversation:changed');
      check(changed.type === 'group' && changed.announcementConfirmed, 'the other device is not told it was confirmed');
      const told = await alice.waitFor('group:announcement-confirmed', (e) => e.userId === carolId, 'group:announcement-confirmed');
      check(told.confirmedCount === 2 && told.memberCount === 3, `counts ${told.confirmedCount} of ${told.memberCount}, not 2 of 3`);

      const tally = await alice.ok('group:announcement-confirmations', { conversationId });
      check(tally.confirmedCount === 2 && tally.pendingCount === 1, `${tally.confirmedCount} confirmed, ${tally.pendingCount} pending`);
      check(tally.pending.join() === context.userId('bob'), `pending lists ${tally.pending.join()}`);

      await alice.ok('group:update', { conversationId, announcement: 'Read me again' });
      const { conversations } = await bob.ok('conversation:sync', { cursor: null });
      const again = conversations.find((c) => c.id === conversationId);
      check(again?.type === 'group' && again.announcementSeq > announcementSeq, 'a new announcement has no new version');
      await carol.fails('group:confirm-announcement', { conversationId, announcementSeq }, 'announcement_changed');
    },
  },
  {
    name: "message:send with a contact: the server fills the card from its own record; unknown users are not_found",
    async run(context) {
      await context.connect('carol'); // users exist once they have connected
      const alice = await context.connect('alice');
      const bob = await context.connect('bob');
      const { conversation } = await alice.ok('conversation:start', { userId: context.userId('bob') });
      const carolId = context.userId('carol');
      const { message } = await alice.ok('message:send', {
        conversationId: conversation.id,
        clientId: context.clientId(),
        body: { type: 'contact', userId: carolId },
      });
      const { body } = message;
      check(body.type === 'contact' && body.user.id === carolId, 'the card is not of the person shared');
      check(body.type === 'contact' && body.user.name.length > 0 && !('userId' in body), 'the card does not show their profile');
      await bob.waitFor('message:new', (m) => m.id === message.id, 'the card, live');
      await alice.fails(
        'message:send',
        { conversationId: conversation.id, clientId: context.clientId(), body: { type: 'contact', userId: context.userId('nobody') } },
        'not_found',
      );
      await alice.fails(
        'message:send',
        { conversationId: conversation.id, clientId: context.clientId(), body: { type: 'contact', userId: carolId, name: 'X' } },
        'invalid_payload',
      );
    },
  },
];
