import { afterEach, describe, expect, it } from 'vitest';
import { limits, type HistoryBody, type Message, type OutgoingBody } from '../../src/protocol/index.js';
import { startAdminServer } from '../support/node/admin.js';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, sendText } from '../support/node/groups.js';
import { pngBytes } from '../support/node/images.js';
import { TestServer, type TestUserId } from '../support/node/server.js';
import { WebhookReceiver } from '../support/node/webhook-receiver.js';

let clientIds = 0;
const clientId = () => `merged-history-${++clientIds}`;

function send(from: TestClient, conversationId: string, body: OutgoingBody) {
  return from.command('message:send', { conversationId, clientId: clientId(), body });
}

async function sent(from: TestClient, conversationId: string, body: OutgoingBody): Promise<Message> {
  return (await from.ok('message:send', { conversationId, clientId: clientId(), body })).message;
}

const forward = (from: TestClient, source: string, seqs: number[], target: string) =>
  send(from, target, { type: 'history', conversationId: source, seqs });

function historyOf(message: Message): HistoryBody {
  if (message.body.type !== 'history') throw new Error(`not a history: ${message.body.type}`);
  return message.body;
}

describe('merged chat histories', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function upload(who: TestUserId, conversationId: string, name: string): Promise<string> {
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId, name }).toString();
    const response = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(pngBytes(6, 4)),
      headers: { authorization: `Bearer ${await server.token(who)}` },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { file: { id: string } }).file.id;
  }

  async function download(client: TestClient, conversationId: string, fileId: string): Promise<number> {
    const { token } = await client.ok('file:access', { conversationId });
    const response = await fetch(new URL(`/api/files/${fileId}?access=${encodeURIComponent(token)}`, server.url));
    await response.arrayBuffer();
    return response.status;
  }

  /** Alice and Bob's chat, and Alice's group "Team" with Carol and Dave (no Bob). */
  async function start() {
    const plenty = { capacity: 1000, refillPerSecond: 1000 };
    server = await TestServer.start({ rateLimit: plenty, sendRateLimit: plenty });
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const carol = await server.connect('carol');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const team = await createTeam(alice, ['carol', 'dave'], []);
    return { alice, bob, carol, chat, team };
  }

  it('forwards messages as one history that the target’s members see, its image theirs to fetch and no one else’s', async () => {
    const { alice, bob, carol, chat, team } = await start();
    const hello = await sent(alice, chat, { type: 'text', text: 'Lunch at noon?' });
    await alice.ok('message:edit', { conversationId: chat, clientId: clientId(), seq: hello.seq, text: { type: 'text', text: 'Lunch at one?' } });
    const imageId = await upload('bob', chat, 'menu.png');
    const image = await sent(bob, chat, { type: 'image', fileId: imageId });
    const card = await sent(bob, chat, { type: 'contact', userId: 'carol' });

    // Given in any order; the history is oldest first.
    const answer = await forward(alice, chat, [card.seq, hello.seq, image.seq], team);
    if (!answer.ok) throw new Error(JSON.stringify(answer.error));
    const body = historyOf(answer.data.message);
    expect(body.from).toEqual({ kind: 'single', userIds: ['alice', 'bob'] });
    expect(body.people).toEqual([
      { id: 'alice', name: 'Alice', avatar: null },
      { id: 'bob', name: 'Bob', avatar: 'https://example.com/bob.png' },
    ]);
    expect(body.items.map(({ senderId, createdAt }) => ({ senderId, createdAt }))).toEqual(
      [hello, image, card].map(({ senderId, createdAt }) => ({ senderId, createdAt })),
    );
    expect(body.items[0]!.body).toEqual({ type: 'text', text: 'Lunch at one?' });
    expect(body.items[2]!.body).toEqual(card.body);
    const forwardedImage = body.items[1]!.body;
    if (forwardedImage.type !== 'image') throw new Error('the image is missing');
    expect(forwardedImage).toMatchObject({ width: 6, height: 4, file: { name: 'menu.png', mime: 'image/png' } });
    expect(forwardedImage.file.id).not.toBe(imageId);

    const received = await carol.waitFor('message:new', (message) => message.id === answer.data.message.id);
    expect(received.body).toEqual(body);
    expect(await download(carol, team, forwardedImage.file.id)).toBe(200);
    // Bob may fetch the original, but the history's copy belongs to a conversation he is not in.
    expect(await download(bob, chat, imageId)).toBe(200);
    expect(await download(bob, chat, forwardedImage.file.id)).toBe(404);

    // A reply to it quotes it as a history, titled by clients.
    const reply = await carol.ok('message:send', {
      conversationId: team,
      clientId: clientId(),
      body: { type: 'text', text: 'Count me in' },
      replyToSeq: answer.data.message.seq,
    });
    expect(reply.message.replyTo).toEqual({ seq: answer.data.message.seq, senderId: 'alice', type: 'history', excerpt: '' });
  });

  it('forwards only what the sender may read, and only messages', async () => {
    const { alice, bob, chat, team } = await start();
    const entries = async () => (await alice.ok('message:history', { conversationId: team })).messages.length;
    const before = await entries();
    const dave = await server.connect('dave');
    const hello = await sent(alice, chat, { type: 'text', text: 'hello' });
    const oops = await sent(alice, chat, { type: 'text', text: 'oops' });
    await alice.ok('message:recall', { conversationId: chat, clientId: clientId(), seq: oops.seq });
    const reacted = await bob.ok('message:react', { conversationId: chat, seq: hello.seq, emoji: '👍', on: true });

    // Dave is in the team but not in Alice and Bob's chat: it does not exist for him.
    expect(await forward(dave, chat, [hello.seq], team)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await forward(alice, chat, [hello.seq, 99], team)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await forward(alice, chat, [hello.seq, oops.seq], team)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: expect.stringMatching(/recalled/) },
    });
    expect(await forward(alice, chat, [reacted.event!.seq], team)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', message: expect.stringMatching(/event/) },
    });
    // The team's first entry is the system event of its creation.
    expect(await forward(alice, team, [1], chat)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    const tooMany = Array.from({ length: limits.historyItemsMax + 1 }, (_, index) => index + 1);
    expect(await forward(alice, chat, tooMany, team)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'body.seqs' }] },
    });
    expect(await forward(alice, chat, [hello.seq, hello.seq], team)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await entries()).toBe(before);
  });

  it('copies a history forwarded alone, and keeps texts, levels and people within the limits', async () => {
    const { alice, carol, chat, team } = await start();
    const first = await sendText(alice, team, 'Welcome, @Carol', { mentions: ['carol'] });
    const second = await sendText(carol, team, 'Thanks!');
    const history = await sent(alice, team, { type: 'history', conversationId: team, seqs: [first.message.seq, second.message.seq] });
    const level1 = historyOf(history);
    expect(level1.from).toEqual({ kind: 'group', name: 'Team' });
    // Mentions name the team's members: the text goes on without them.
    expect(level1.items[0]!.body).toEqual({ type: 'text', text: 'Welcome, @Carol' });

    const copy = await sent(alice, chat, { type: 'history', conversationId: team, seqs: [history.seq] });
    expect(copy.body).toEqual(level1);

    // A history of histories, three levels deep at most.
    const note = await sent(alice, chat, { type: 'text', text: 'see above' });
    const level2 = await sent(alice, chat, { type: 'history', conversationId: chat, seqs: [copy.seq, note.seq] });
    expect(historyOf(level2).people.map((person) => person.id)).toEqual(['alice', 'carol']);
    const level3 = await sent(alice, chat, { type: 'history', conversationId: chat, seqs: [level2.seq, note.seq] });
    expect(await forward(alice, chat, [level3.seq, note.seq], team)).toMatchObject({
      ok: false,
      error: { code: 'history_too_large', message: expect.stringMatching(/3 levels/) },
    });
    expect(await forward(alice, chat, [level3.seq], team)).toMatchObject({ ok: true });

    const long = 'x'.repeat(limits.textLength);
    const seqs: number[] = [];
    for (let count = 0; count * limits.textLength <= limits.historyTextMax; count += 1) {
      seqs.push((await sent(alice, chat, { type: 'text', text: long })).seq);
    }
    expect(await forward(alice, chat, seqs, team)).toMatchObject({
      ok: false,
      error: { code: 'history_too_large', message: expect.stringMatching(/characters/) },
    });
    expect(await forward(alice, chat, seqs.slice(1), team)).toMatchObject({ ok: true });
  });

  it('reaches a device that was offline when it catches up', async () => {
    const { alice, chat, team } = await start();
    const dave = await server.connect('dave');
    const { cursor } = await dave.ok('conversation:sync', { cursor: null });
    dave.close();
    const hello = await sent(alice, chat, { type: 'text', text: 'hello' });
    const history = await sent(alice, team, { type: 'history', conversationId: chat, seqs: [hello.seq] });

    const again = await server.connect('dave');
    const changes = await again.ok('conversation:sync', { cursor });
    const listed = changes.conversations.find((conversation) => conversation.id === team);
    expect(listed).toMatchObject({ unreadCount: 1, lastMessage: { seq: history.seq, body: history.body } });
    expect(changes.users.map((user) => user.id)).toContain('alice');
  });
});

describe('merged chat histories and webhooks', () => {
  it('delivers a history as message.created', async () => {
    const receiver = await WebhookReceiver.start();
    const { server, admin } = await startAdminServer({ webhookDelivery: { retryBaseMs: 20, retryMaxMs: 100, maxAttempts: 20 } });
    try {
      const created = await admin.post('/webhooks', { url: receiver.url, events: ['message.created'] });
      expect(created.status).toBe(201);
      const group = (await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob'] })).body.group.id;
      const bob = await connectUser(server, 'bob');
      const hello = await sendText(bob, group, 'hello');
      const history = await sent(bob, group, { type: 'history', conversationId: group, seqs: [hello.message.seq] });
      await receiver.until((r) => r.accepted.length === 2, 'two deliveries');
      expect(receiver.accepted[1]).toMatchObject({ type: 'message.created', data: { conversationId: group, message: history } });
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
