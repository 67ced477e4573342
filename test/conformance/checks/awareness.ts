/** Section 13 of the protocol, beyond messages: presence, search, files, played voice messages and Web Push. */
import { createECDH, randomBytes } from 'node:crypto';
import { check, request } from '../connection.js';
import type { Check, CheckContext } from '../suite.js';
import { text } from './groups.js';

async function pair(context: CheckContext) {
  const bob = await context.connect('bob');
  const alice = await context.connect('alice');
  const started = await alice.ok('conversation:start', { userId: context.userId('bob') });
  return { alice, bob, conversationId: started.conversation.id };
}

/**
 * The push service host of the suite's subscriptions: a name that never resolves (`.invalid`),
 * so no push leaves the machine. The server under test must accept it as a push service
 * (the reference server: `IM_PUSH_SERVICES`).
 */
/** A WAV of a tone, `ms` long: audio any server takes for a voice message. */
function toneWav(ms: number): Uint8Array {
  const rate = 8_000;
  const samples = Math.round((rate * ms) / 1000);
  const bytes = Buffer.alloc(44 + samples * 2);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(36 + samples * 2, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(rate * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) bytes.writeInt16LE(Math.round(Math.sin((i / rate) * 2 * Math.PI * 440) * 8_000), 44 + i * 2);
  return new Uint8Array(bytes);
}

export const conformancePushHost = 'push.conformance.invalid';

/** A subscription shaped as a browser's `PushSubscription.toJSON()`, on a push service's host name. */
function pushSubscription() {
  const key = createECDH('prime256v1');
  key.generateKeys();
  return {
    endpoint: `https://${conformancePushHost}/send/${randomBytes(8).toString('hex')}`,
    expirationTime: null,
    keys: { p256dh: key.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

export const awarenessChecks: Check[] = [
  {
    name: 'presence:watch: answers for people one shares a conversation with; presence events when they go',
    async run(context) {
      const { alice, bob } = await pair(context);
      await context.connect('carol');
      const bobId = context.userId('bob');
      const { presence } = await alice.ok('presence:watch', { userIds: [bobId, context.userId('carol')] });
      check(presence.length === 1 && presence[0]?.userId === bobId, 'presence:watch answered for someone who shares no conversation');
      check(presence[0]!.online, 'a connected peer is not online');
      bob.close();
      await alice.waitFor('presence', (event) => event.userId === bobId && !event.online, 'presence: offline');
      await alice.fails('presence:watch', { userIds: 'everyone' }, 'invalid_payload');
    },
  },
  {
    name: 'message:search: the caller’s own conversations only, newest first, with the senders',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const word = `zebra${randomBytes(4).toString('hex')}`;
      for (const value of [`first ${word}`, 'nothing here', `second ${word}`]) {
        await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text(value) });
      }
      const found = await bob.ok('message:search', { query: word.toUpperCase() });
      const texts = found.messages.map((message) => (message.body.type === 'text' ? message.body.text : ''));
      check(texts.join('|') === `second ${word}|first ${word}`, `search found ${JSON.stringify(texts)}`);
      check(found.users.some((user) => user.id === context.userId('alice')), 'search results lack the sender');
      const stranger = await context.connect('carol');
      const none = await stranger.ok('message:search', { query: word });
      check(none.messages.length === 0, 'a stranger found messages of a conversation they are not in');
      await bob.fails('message:search', { query: '   ' }, 'invalid_payload');
    },
  },
  {
    name: 'formatted text (13.9): stored as typed; reply excerpts and search use its plain text',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const word = `okapi${randomBytes(4).toString('hex')}`;
      const typed = `**Big** _${word}_ ~~news~~ \`now\``;
      const sent = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text(typed) });
      const reply = await bob.ok('message:send', { conversationId, clientId: context.clientId(), body: text('ok'), replyToSeq: sent.message.seq });
      const [stored] = (await bob.ok('message:history', { conversationId, beforeSeq: sent.message.seq + 1, limit: 1 })).messages;
      check(stored?.body.type === 'text' && stored.body.text === typed, 'a formatted text did not come back as typed');
      check(reply.message.replyTo?.excerpt === `Big ${word} news now`, `the reply's excerpt is ${JSON.stringify(reply.message.replyTo?.excerpt)}`);
      const found = await bob.ok('message:search', { query: `big ${word} news` });
      check(found.messages.length === 1 && found.messages[0]!.seq === sent.message.seq, 'search did not find a formatted text by its words');
    },
  },
  {
    name: 'file:access: a member’s token opens the conversation’s files over HTTP; a stranger gets not_found',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const content = `conformance ${randomBytes(4).toString('hex')}\n`;
      const upload = await request(
        new URL(`/api/files?conversationId=${encodeURIComponent(conversationId)}&name=note.txt`, context.url),
        { method: 'POST', headers: { authorization: `Bearer ${await context.token('alice')}` }, body: content },
      );
      check(upload.status === 201, `the upload answered ${upload.status}`);
      const { file } = (await upload.json()) as { file: { id: string } };
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: { type: 'file', fileId: file.id } });
      check(message.body.type === 'file', `a file message came back as ${message.body.type}`);
      await bob.waitFor('message:new', (event) => event.id === message.id);

      const access = await bob.ok('file:access', { conversationId });
      check(access.expiresAt > Date.now(), 'the access token has already expired');
      const download = await request(new URL(`/api/files/${file.id}?access=${encodeURIComponent(access.token)}`, context.url));
      check(download.ok && (await download.text()) === content, `the download answered ${download.status} or other bytes`);
      const stranger = await context.connect('carol');
      await stranger.fails('file:access', { conversationId }, 'not_found');
      const refused = await request(new URL(`/api/files/${file.id}`, context.url));
      check(!refused.ok, 'a file was served without an access token');
    },
  },
  {
    name: 'message:played: the player\'s other connection and the sender hear of it once; history and sync carry the state; only voice',
    async run(context) {
      const { alice, bob, conversationId } = await pair(context);
      const bobCursor = (await bob.ok('conversation:sync', { cursor: null })).cursor;
      const upload = await request(
        new URL(`/api/files?conversationId=${encodeURIComponent(conversationId)}&name=voice.wav`, context.url),
        { method: 'POST', headers: { authorization: `Bearer ${await context.token('alice')}` }, body: toneWav(800) },
      );
      check(upload.status === 201, `the voice upload answered ${upload.status}`);
      const { file } = (await upload.json()) as { file: { id: string } };
      const body = { type: 'voice' as const, fileId: file.id, duration: 800, waveform: [10, 90, 40] };
      const { message } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body });
      const bobTablet = await context.connect('bob');

      const first = await bob.ok('message:played', { conversationId, seq: message.seq });
      check(first.changed, 'the first play was not recorded');
      for (const [who, connection] of [['the sender', alice], ['the player\'s other connection', bobTablet]] as const) {
        const event = await connection.waitFor('message:played', (e) => e.conversationId === conversationId && e.seq === message.seq, `message:played at ${who}`);
        check(event.userId === context.userId('bob') && event.playedCount === 1, `${who} got a wrong message:played`);
      }
      check(bob.received('message:played').length === 0, 'the player\'s own connection was sent its play');
      check(!(await bobTablet.ok('message:played', { conversationId, seq: message.seq })).changed, 'a second play changed something');
      check(!(await alice.ok('message:played', { conversationId, seq: message.seq })).changed, 'the sender\'s own play was recorded');

      const forBob = (await bob.ok('message:history', { conversationId })).messages.find((m) => m.seq === message.seq);
      check(forBob?.played === true, 'history does not say the reader played it');
      const forAlice = (await alice.ok('message:history', { conversationId })).messages.find((m) => m.seq === message.seq);
      check(forAlice?.playedCount === 1, 'history does not give the sender the count');
      const synced = await bob.ok('conversation:sync', { cursor: bobCursor });
      check(
        synced.plays?.some((play) => play.conversationId === conversationId && play.seq === message.seq && play.played) === true,
        'the next sync does not list the play',
      );
      const players = await alice.ok('message:players', { conversationId, seq: message.seq });
      check(players.playedCount === 1 && players.players[0]?.userId === context.userId('bob'), 'message:players does not name the player');
      await bob.fails('message:players', { conversationId, seq: message.seq }, 'forbidden');

      const { message: note } = await alice.ok('message:send', { conversationId, clientId: context.clientId(), body: text('a text') });
      await bob.fails('message:played', { conversationId, seq: note.seq }, 'invalid_payload');
      const stranger = await context.connect('carol');
      await stranger.fails('message:played', { conversationId, seq: message.seq }, 'not_found');
    },
  },
  {
    name: 'push: push:config gives the VAPID key (or null); subscribe and unsubscribe answer {}; bad keys are invalid',
    async run(context) {
      const alice = await context.connect('alice');
      const { publicKey } = await alice.ok('push:config', {});
      const subscription = pushSubscription();
      if (publicKey === null) {
        await alice.fails('push:subscribe', subscription, 'forbidden');
      } else {
        await alice.ok('push:subscribe', subscription);
        await alice.ok('push:unsubscribe', { endpoint: subscription.endpoint });
      }
      await alice.fails('push:subscribe', { ...subscription, keys: { p256dh: 'short', auth: 'short' } }, 'invalid_payload');
      await alice.fails('push:unsubscribe', { endpoint: 'not a url' }, 'invalid_payload');
    },
  },
];
