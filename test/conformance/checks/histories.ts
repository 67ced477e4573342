/** Section 13.13 of the protocol: merged chat histories. */
import type { OutgoingBody } from '../../../src/protocol/index.js';
import { check } from '../connection.js';
import type { Check } from '../suite.js';
import { group } from './groups.js';

export const historyChecks: Check[] = [
  {
    name: 'message:send with a history: built by the server from messages the sender may read; one history alone is copied',
    async run(context) {
      const { alice, carol, conversationId: team } = await group(context);
      const bob = await context.connect('bob');
      const [aliceId, bobId] = [context.userId('alice'), context.userId('bob')];
      const { conversation } = await alice.ok('conversation:start', { userId: bobId });
      const send = (from: typeof alice, conversationId: string, body: OutgoingBody) =>
        from.ok('message:send', { conversationId, clientId: context.clientId(), body });
      const question = await send(alice, conversation.id, { type: 'text', text: 'Lunch?' });
      const answer = await send(bob, conversation.id, { type: 'text', text: 'Yes' });

      const seqs = [answer.message.seq, question.message.seq];
      const { message } = await send(alice, team, { type: 'history', conversationId: conversation.id, seqs });
      const { body } = message;
      check(body.type === 'history', `the body is ${body.type}, not history`);
      if (body.type !== 'history') return;
      check(
        body.from.kind === 'single' && [...body.from.userIds].sort().join() === [aliceId, bobId].sort().join(),
        `from is ${JSON.stringify(body.from)}, not the single chat's two people`,
      );
      const texts = body.items.map((item) => (item.body.type === 'text' ? item.body.text : item.body.type));
      check(texts.join() === 'Lunch?,Yes', `the items are ${texts.join()}, not the two texts oldest first`);
      check(body.items.map((item) => item.senderId).join() === [aliceId, bobId].join(), 'the items do not keep their senders');
      check(body.people.some((person) => person.id === bobId && person.name.length > 0), 'people does not name Bob');
      const live = await carol.waitFor('message:new', (m) => m.id === message.id, 'the history, live');
      check(JSON.stringify(live.body) === JSON.stringify(body), 'the history delivered is not the one stored');

      // Carol is not in Alice and Bob's chat; the team's first entry is an event.
      await carol.fails(
        'message:send',
        { conversationId: team, clientId: context.clientId(), body: { type: 'history', conversationId: conversation.id, seqs } },
        'not_found',
      );
      await alice.fails(
        'message:send',
        { conversationId: conversation.id, clientId: context.clientId(), body: { type: 'history', conversationId: team, seqs: [1] } },
        'invalid_payload',
      );
      await alice.fails(
        'message:send',
        { conversationId: team, clientId: context.clientId(), body: { type: 'history', conversationId: conversation.id, seqs: [1, 1] } },
        'invalid_payload',
      );

      const copy = await send(carol, team, { type: 'history', conversationId: team, seqs: [message.seq] });
      check(JSON.stringify(copy.message.body) === JSON.stringify(body), 'a history forwarded alone is not copied as it is');
    },
  },
];
