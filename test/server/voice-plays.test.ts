import { afterEach, describe, expect, it } from 'vitest';
import type { FileInfo } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { connectUser, createTeam, sendText, startGroupServer } from '../support/node/groups.js';
import { wavBytes } from '../support/node/media.js';
import type { TestServer } from '../support/node/server.js';
import { setTimeout as wait } from 'node:timers/promises';

let clientIds = 0;

describe('played voice messages', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function sendVoice(from: TestClient, who: 'alice' | 'bob', conversationId: string) {
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId, name: 'voice.wav' }).toString();
    const response = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(wavBytes(1_500)),
      headers: { authorization: `Bearer ${await server.token(who)}` },
    });
    const { file } = (await response.json()) as { file: FileInfo };
    const body = { type: 'voice' as const, fileId: file.id, duration: 1_500, waveform: [10, 80, 30] };
    return (await from.ok('message:send', { conversationId, clientId: `voice-played-${++clientIds}`, body })).message;
  }

  it("tell the player's other devices and the sender, and no other member of the group", async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const bobPhone = await connectUser(server, 'bob');
    const carol = await connectUser(server, 'carol');
    const group = await createTeam(alice, ['bob', 'carol'], []);
    const message = await sendVoice(alice, 'alice', group);

    const live = [bobPhone.waitFor('message:played'), alice.waitFor('message:played')];
    expect(await bob.ok('message:played', { conversationId: group, seq: message.seq })).toEqual({ changed: true });
    for (const event of await Promise.all(live)) {
      expect(event).toEqual({ conversationId: group, seq: message.seq, userId: 'bob', playedCount: 1, playedAt: expect.any(Number) });
    }
    // Idempotent: playing it again (on the phone) records and sends nothing.
    expect(await bobPhone.ok('message:played', { conversationId: group, seq: message.seq })).toEqual({ changed: false });
    await carol.ok('message:played', { conversationId: group, seq: message.seq });
    await alice.waitFor('message:played', (event) => event.userId === 'carol' && event.playedCount === 2);
    // The sender's own play is no play.
    expect(await alice.ok('message:played', { conversationId: group, seq: message.seq })).toEqual({ changed: false });
    await wait(100);
    expect(bob.received['message:played']).toEqual([]);
    expect(carol.received['message:played']).toEqual([]);
    expect(bobPhone.received['message:played'].map((event) => event.userId)).toEqual(['bob']);

    // Only the sender sees who played it, most recent first, with their profiles.
    const players = await alice.ok('message:players', { conversationId: group, seq: message.seq });
    expect(players.playedCount).toBe(2);
    expect(players.players.map((player) => player.userId)).toEqual(['carol', 'bob']);
    expect(players.users.map((user) => user.name).sort()).toEqual(['Bob', 'Carol']);
    expect(await bob.command('message:players', { conversationId: group, seq: message.seq })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // History answers each reader's state.
    const [forBob] = (await bob.ok('message:history', { conversationId: group, afterSeq: message.seq - 1 })).messages;
    expect(forBob).toMatchObject({ played: true });
    const [forAlice] = (await alice.ok('message:history', { conversationId: group, afterSeq: message.seq - 1 })).messages;
    expect(forAlice).toMatchObject({ playedCount: 2 });
  });

  it('tells the sender nothing live across a block, while the player\'s other devices still hear of it', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const bobPhone = await connectUser(server, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const message = await sendVoice(alice, 'alice', conversation.id);
    await bob.ok('user:block', { userId: 'alice' });

    const onPhone = bobPhone.waitFor('message:played');
    expect(await bob.ok('message:played', { conversationId: conversation.id, seq: message.seq })).toEqual({ changed: true });
    expect(await onPhone).toMatchObject({ userId: 'bob', seq: message.seq });
    await wait(100);
    expect(alice.received['message:played']).toEqual([]);
  });

  it('refuse what is not a voice message and those who are not members', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const dave = await connectUser(server, 'dave');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const { message: text } = await sendText(alice, chat, 'hello');
    const voice = await sendVoice(alice, 'alice', chat);

    expect(await bob.command('message:played', { conversationId: chat, seq: text.seq })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'seq', message: 'is not a voice message' }] },
    });
    expect(await dave.command('message:played', { conversationId: chat, seq: voice.seq })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await bob.command('message:played', { conversationId: chat, seq: 99 })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await bob.command('message:played', { conversationId: chat, seq: voice.seq, extra: 1 } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
    expect((await alice.ok('message:players', { conversationId: chat, seq: voice.seq })).playedCount).toBe(0);
  });

  it('bring a device that was offline up to date with its next sync', async () => {
    server = await startGroupServer();
    const alice = await connectUser(server, 'alice');
    const bob = await connectUser(server, 'bob');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const voice = await sendVoice(alice, 'alice', chat);
    const bobCursor = (await bob.ok('conversation:sync', { cursor: null })).cursor;
    const aliceCursor = (await alice.ok('conversation:sync', { cursor: null })).cursor;

    await bob.ok('message:played', { conversationId: chat, seq: voice.seq });

    const bobLaptop = await connectUser(server, 'bob');
    const forBob = await bobLaptop.ok('conversation:sync', { cursor: bobCursor });
    expect(forBob.plays).toEqual([{ conversationId: chat, seq: voice.seq, played: true, playedCount: 0 }]);
    const aliceTablet = await connectUser(server, 'alice');
    const forAlice = await aliceTablet.ok('conversation:sync', { cursor: aliceCursor });
    expect(forAlice.plays).toEqual([{ conversationId: chat, seq: voice.seq, played: false, playedCount: 1 }]);
  });
});
