import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { limits } from '../../src/protocol/limits.js';
import type { TestClient } from '../support/node/client.js';
import { manualClock } from '../support/node/clock.js';
import { TestServer } from '../support/node/server.js';

describe('presence', () => {
  let server: TestServer;
  const clock = manualClock();
  beforeEach(async () => {
    server = await TestServer.start({ clock });
  });
  afterEach(() => server.close());

  async function chat(from: TestClient, peerId: string): Promise<string> {
    return (await from.ok('conversation:start', { userId: peerId })).conversation.id;
  }

  it('tells who of the people one shares a conversation with is online; others are left out', async () => {
    const alice = await server.connect('alice');
    await server.connect('bob');
    await chat(alice, 'bob');
    await alice.ok('group:create', { name: 'Team', memberIds: ['carol'] });

    const { presence } = await alice.ok('presence:watch', {
      userIds: ['bob', 'carol', 'dave', 'alice', 'nobody'],
    });
    // Dave shares nothing with Alice, "nobody" does not exist, Alice is herself.
    expect(presence.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
      { userId: 'bob', online: true, lastSeenAt: null },
      { userId: 'carol', online: false, lastSeenAt: null },
    ]);
  });

  it('tells watchers when someone comes online and when their last connection ends', async () => {
    const alice = await server.connect('alice');
    await chat(alice, 'bob');
    await alice.ok('presence:watch', { userIds: ['bob'] });

    const phone = await server.connect('bob');
    expect(await alice.waitFor('presence', (p) => p.online)).toEqual({
      userId: 'bob',
      online: true,
      lastSeenAt: null,
    });
    const laptop = await server.connect('bob');
    laptop.close();
    clock.advance(60_000);
    phone.close();

    const offline = await alice.waitFor('presence', (p) => !p.online);
    expect(offline).toEqual({ userId: 'bob', online: false, lastSeenAt: clock.now() });
    // One "online" for the first connection, one "offline" for the last: none for the laptop.
    expect(alice.received.presence).toHaveLength(2);

    // A watcher who comes later learns when Bob was last seen, from storage.
    await server.restart();
    const again = await server.connect('alice');
    expect(await again.ok('presence:watch', { userIds: ['bob'] })).toEqual({
      presence: [{ userId: 'bob', online: false, lastSeenAt: offline.lastSeenAt }],
    });
  });

  it('replaces the watch list: people no longer watched send no more events', async () => {
    const alice = await server.connect('alice');
    await chat(alice, 'bob');
    await chat(alice, 'carol');
    await alice.ok('presence:watch', { userIds: ['bob'] });
    await alice.ok('presence:watch', { userIds: ['carol'] });

    await server.connect('bob');
    await server.connect('carol');
    await alice.waitFor('presence', (p) => p.userId === 'carol');
    expect(alice.received.presence.map((p) => p.userId)).toEqual(['carol']);
  });

  it('does not let a connection watch people it shares no conversation with', async () => {
    const dave = await server.connect('dave');
    expect(await dave.ok('presence:watch', { userIds: ['alice'] })).toEqual({ presence: [] });
    await server.connect('alice');
    // Bob's chat with Dave starts, so Dave now sees Bob come online; Alice never shows.
    const bob = await server.connect('bob');
    await chat(bob, 'dave');
    await dave.ok('presence:watch', { userIds: ['alice', 'bob'] });
    bob.close();
    await dave.waitFor('presence', (p) => p.userId === 'bob' && !p.online);
    expect(dave.received.presence.map((p) => p.userId)).toEqual(['bob']);
  });

  it('refuses a watch list longer than the limit, changing nothing', async () => {
    const alice = await server.connect('alice');
    await chat(alice, 'bob');
    await alice.ok('presence:watch', { userIds: ['bob'] });
    const tooMany = Array.from({ length: limits.presenceWatchMax + 1 }, (_, i) => `user-${i}`);
    expect(await alice.command('presence:watch', { userIds: tooMany })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'userIds' }] },
    });
    await server.connect('bob');
    expect(await alice.waitFor('presence')).toMatchObject({ userId: 'bob', online: true });
  });
});
