/** Sections 4 and 9 of the protocol: single chats, messages, history, reading, sync, idempotency. */
import type { Ack, Message, SendMessageResult } from '../../../src/protocol/index.js';
import { check, within, type Connection } from '../connection.js';
import type { Check, CheckContext } from '../suite.js';

const text = (value: string) => ({ type: 'text' as const, text: value });

async function pair(context: CheckContext) {
  const bob = await context.connect('bob');
  const alice = await context.connect('alice');
  const started = await alice.ok('conversation:start', { userId: context.userId('bob') });
  return { alice, bob, conversationId: started.conversation.id };
}

export const messagingChecks: Check[] = [
  {
    name: 'conversation:start: one conversation from either side; not with oneself or an unknown user',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const fromBob = await bob.ok('conversation:start', { userId: context.userId('alice') });
      check(fromBob.conversation.id === conversationId, 'the two sides got different conversations');
      check(fromBob.conversation.type === 'single' && fromBob.conversation.peerId === context.userId('alice'), 'peerId is wrong');
      await alice.fails('conversation:start', { userId: context.userId('alice') }, 'invalid_payload');
      await alice.fails('conversation:start', { userId: context.userId('nobody') }, 'not_found');
    },
  },
  {
    name: 'message:send: acked with gap-free seqs, broadcast to the peer as message:new',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const seqs: number[] = [];
      for (const value of ['one', 'two', 'three']) {
        const { message, duplicate } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text(value) });
        check(!duplicate, 'a new message was reported as a duplicate');
        seqs.push(message.seq);
        const live = await bob.waitFor('message:new', (event) => event.id === message.id, `message:new for "${value}"`);
        check(JSON.stringify(live) === JSON.stringify(message), 'the broadcast differs from the acked message');
      }
      check(seqs.join() === [seqs[0], seqs[0]! + 1, seqs[0]! + 2].join(), `seqs are not consecutive: ${seqs.join()}`);
    },
  },
  {
    name: 'message:send: a repeated clientId returns the original, stores nothing new',
    async run(context) {
      const { alice, conversationId } = await pair(context);
      const clientId = context.clientId();
      const first = await alice.ok('message:send', { conversationId, clientId, body: text('once') });
      const again = await alice.ok('message:send', { conversationId, clientId, body: text('once') });
      check(again.duplicate && again.message.id === first.message.id, 'the resend was not answered with the original');
      const history = await alice.ok('message:history', { conversationId });
      check(history.messages.filter((message) => message.clientId === clientId).length === 1, 'the resend was stored twice');
    },
  },
  {
    name: 'message:send: the ack arrives before any message:new with a higher seq on the same connection',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const early: string[] = [];
      // Both send at once; each ack is checked against what its connection had received.
      const burst = (from: Connection, count: number) =>
        Array.from({ length: count }, () =>
          new Promise<void>((resolve) => {
            const payload = { conversationId, clientId: context.clientId(), body: text('burst') };
            from.socket.emit('message:send', payload, (ack: Ack<SendMessageResult>) => {
              if (ack.ok) {
                const later = from.events.filter(
                  (event) => event.name === 'message:new' && (event.payload as Message).seq > ack.data.message.seq,
                );
                if (later.length > 0) early.push(`${ack.data.message.seq} after ${(later[0]!.payload as Message).seq}`);
              } else {
                early.push(`a send failed: ${ack.error.code}`);
              }
              resolve();
            });
          }),
        );
      await within(Promise.all([...burst(alice, 15), ...burst(bob, 15)]), 'the acks of 30 sends');
      check(early.length === 0, `acks came after later message:new events: ${early.slice(0, 3).join(', ')}`);
    },
  },
  {
    name: 'message:history: ascending pages before and after a seq, with hasMore',
    async run(context) {
      const { alice, conversationId } = await pair(context);
      const sent: Message[] = [];
      for (let i = 1; i <= 5; i++) {
        sent.push((await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text(`m${i}`) })).message);
      }
      const latest = await alice.ok('message:history', { conversationId, limit: 2 });
      check(latest.messages.map((m) => m.seq).join() === [sent[3]!.seq, sent[4]!.seq].join(), 'the latest page is wrong');
      check(latest.hasMore, 'hasMore is false with older messages');
      const older = await alice.ok('message:history', { conversationId, beforeSeq: sent[3]!.seq, limit: 10 });
      check(older.messages.map((m) => m.seq).join() === sent.slice(0, 3).map((m) => m.seq).join(), 'the page before is wrong');
      const newer = await alice.ok('message:history', { conversationId, afterSeq: sent[2]!.seq, limit: 10 });
      check(newer.messages.map((m) => m.seq).join() === sent.slice(3).map((m) => m.seq).join() && !newer.hasMore, 'the page after is wrong');
      await alice.fails('message:history', { conversationId, beforeSeq: 3, afterSeq: 1 }, 'invalid_payload');
    },
  },
  {
    name: 'conversation:read: clamped to lastSeq, never backwards, told to the reader\'s other connections',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const bobElsewhere = await context.connect('bob');
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('read me') });
      await bob.waitFor('message:new', (event) => event.id === message.id);
      const read = await bob.ok('conversation:read', { conversationId, seq: message.seq + 100 });
      check(read.readSeq === message.seq, `readSeq ${read.readSeq} is not clamped to ${message.seq}`);
      const back = await bob.ok('conversation:read', { conversationId, seq: 0 });
      check(back.readSeq === message.seq, 'readSeq moved backwards');
      await bobElsewhere.waitFor('conversation:read', (event) => event.conversationId === conversationId && event.readSeq === message.seq);
    },
  },
  {
    name: 'conversation:sync: lists changed conversations with unread counts, then only what changed',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('hello') });
      const full = await bob.ok('conversation:sync', { cursor: null });
      const listed = full.conversations.find((conversation) => conversation.id === conversationId);
      check(listed?.unreadCount === 1, `the conversation is not listed with 1 unread (${listed?.unreadCount})`);
      check(full.users.some((user) => user.id === context.userId('alice')), 'the peer\'s profile is missing');
      const nothing = await bob.ok('conversation:sync', { cursor: full.cursor });
      check(!nothing.conversations.some((conversation) => conversation.id === conversationId), 'an unchanged conversation was listed again');
      await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('again') });
      const changed = await bob.ok('conversation:sync', { cursor: full.cursor });
      check(changed.conversations.find((c) => c.id === conversationId)?.unreadCount === 2, 'the new message is not in the sync');
    },
  },
  {
    name: 'authorization: a non-member gets not_found for another conversation',
    async run(context) {
      const { conversationId } = await pair(context);
      const carol = await context.connect('carol');
      await carol.fails('message:send', { conversationId, clientId: context.clientId(), body: text('intruder') }, 'not_found');
      await carol.fails('message:history', { conversationId }, 'not_found');
      await carol.fails('conversation:read', { conversationId, seq: 1 }, 'not_found');
    },
  },
  {
    name: 'message:recall and message:edit: events in the timeline, only for the sender',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('typo') });
      const edited = await alice.ok('message:edit', { conversationId, clientId: context.clientId(), seq: message.seq, text: text('fixed') });
      check(edited.target.body.type === 'text' && edited.target.body.text === 'fixed', 'the target was not edited');
      await bob.waitFor('message:new', (event) => event.body.type === 'edit' && event.body.targetSeq === message.seq, 'the edit event');
      await bob.fails('message:edit', { conversationId, clientId: context.clientId(), seq: message.seq, text: text('mine') }, 'forbidden');
      const recalled = await alice.ok('message:recall', { conversationId, clientId: context.clientId(), seq: message.seq });
      check(recalled.target.body.type === 'recalled', 'the target was not recalled');
      await bob.waitFor('message:new', (event) => event.body.type === 'recall' && event.body.targetSeq === message.seq, 'the recall event');
      const history = await bob.ok('message:history', { conversationId });
      check(history.messages.find((m) => m.seq === message.seq)?.body.type === 'recalled', 'history still shows the recalled text');
    },
  },
  {
    name: 'message:react: a reaction event with the target\'s reactions; no change, no event; no unread; one emoji only',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('lunch?') });
      await bob.ok('conversation:read', { conversationId, seq: message.seq });
      const reacted = await alice.ok('message:react', { conversationId, seq: message.seq, emoji: '❤', on: true });
      const mine = [{ emoji: '❤️', userIds: [context.userId('alice')] }];
      check(reacted.event?.seq === message.seq + 1, 'the reaction did not take the next seq');
      check(JSON.stringify(reacted.target.reactions) === JSON.stringify({ seq: message.seq + 1, items: mine }), 'the target does not have the reaction, made canonical, as of its event');
      const event = await bob.waitFor('message:new', (m) => m.body.type === 'reaction' && m.body.targetSeq === message.seq, 'the reaction event');
      check(event.body.type === 'reaction' && event.body.on && JSON.stringify(event.body.reactions) === JSON.stringify(mine), 'the event does not carry the reactions');
      const again = await alice.ok('message:react', { conversationId, seq: message.seq, emoji: '❤️', on: true });
      check(again.event === null, 'asking for what is so appended an event');
      const history = await bob.ok('message:history', { conversationId });
      check(history.messages.find((m) => m.seq === message.seq)?.reactions?.items.length === 1, 'history does not show the reaction');
      const { conversations } = await bob.ok('conversation:sync', { cursor: null });
      check(conversations.find((c) => c.id === conversationId)?.unreadCount === 0, 'a reaction counted as unread');
      await bob.fails('message:react', { conversationId, seq: message.seq, emoji: 'yes', on: true }, 'invalid_payload');
      await bob.fails('message:react', { conversationId, seq: event.seq, emoji: '👍', on: true }, 'forbidden');
      const off = await alice.ok('message:react', { conversationId, seq: message.seq, emoji: '❤️', on: false });
      check(off.target.reactions?.items.length === 0, 'taking the reaction back left it');
    },
  },
  {
    name: 'typing:start: the peer is told, the typist is not',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      await alice.ok('typing:start', { conversationId });
      const typing = await bob.waitFor('typing', (event) => event.conversationId === conversationId);
      check(typing.userId === context.userId('alice') && typing.ttlMs > 0, 'the typing event is wrong');
      check(alice.received('typing').length === 0, 'the typist was told of their own typing');
    },
  },
  {
    name: 'typing:stop: the peer is told to stop showing it now',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      await alice.ok('typing:start', { conversationId });
      await alice.ok('typing:stop', { conversationId });
      const stopped = await bob.waitFor('typing', (event) => event.conversationId === conversationId && event.ttlMs === 0);
      check(stopped.userId === context.userId('alice'), 'the stop names someone else');
    },
  },
  {
    name: 'receipts: delivered and read positions reach the sender; readers are counted',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('did you get it?') });
      const delivered = await bob.ok('conversation:delivered', { conversationId, seq: message.seq });
      check(delivered.deliveredSeq === message.seq, 'deliveredSeq did not move');
      await alice.waitFor('conversation:receipt', (receipt) => receipt.userId === context.userId('bob') && receipt.deliveredSeq === message.seq);
      await bob.ok('conversation:read', { conversationId, seq: message.seq });
      await alice.waitFor('conversation:receipt', (receipt) => receipt.userId === context.userId('bob') && receipt.readSeq === message.seq);
      const { receipts } = await alice.ok('conversation:receipts', { conversationId });
      const bobs = receipts.find((receipt) => receipt.userId === context.userId('bob'));
      check(bobs?.readSeq === message.seq && bobs.deliveredSeq === message.seq, 'conversation:receipts does not list the peer\'s positions');
      const readers = await alice.ok('message:readers', { conversationId, seq: message.seq });
      check(readers.readCount === 1 && readers.audience === 1, `readers: ${readers.readCount} of ${readers.audience}`);
    },
  },
  {
    name: 'conversation:settings: the member\'s own settings, told to their other connections',
    async run(context) {
      const { alice, conversationId } = await pair(context);
      const elsewhere = await context.connect('alice');
      const { conversation } = await alice.ok('conversation:settings', { conversationId, pinned: true, notificationsMuted: true });
      check(conversation.pinnedAt !== null && conversation.notificationsMuted, 'the settings were not applied');
      await elsewhere.waitFor('conversation:changed', (changed) => changed.id === conversationId && changed.notificationsMuted);
      const carol = await context.connect('carol');
      await carol.fails('conversation:settings', { conversationId, pinned: true }, 'not_found');
    },
  },
];
