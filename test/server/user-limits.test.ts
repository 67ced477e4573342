import { afterEach, describe, expect, it } from 'vitest';
import { expectConnectError, type TestClient } from '../support/node/client.js';
import { Cluster } from '../support/node/cluster.js';
import { manualClock } from '../support/node/clock.js';
import { probeServices } from '../support/node/services.js';
import { TestServer } from '../support/node/server.js';

let clientIds = 0;

/** Sends `count` texts from each client at once; the acks, in no particular order. */
async function burst(clients: TestClient[], conversationId: string, count: number) {
  return Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: count }, () =>
        client.command('message:send', {
          conversationId,
          clientId: `limit-${++clientIds}-${'x'.repeat(8)}`,
          body: { type: 'text', text: 'flood' },
        }),
      ),
    ),
  );
}

describe('limits per user and per address', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('holds one user on 20 connections to the per-user send rate', async () => {
    // The clock stands still: no token comes back during the burst.
    server = await TestServer.start({
      clock: manualClock(),
      sendRateLimit: { capacity: 10, refillPerSecond: 1 },
    });
    const tabs = await Promise.all(Array.from({ length: 20 }, () => server.connect('alice')));
    const chat = (await tabs[0]!.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const acks = await burst(tabs, chat, 3);
    expect(acks.filter((ack) => ack.ok)).toHaveLength(10);
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused).toHaveLength(50);
    for (const ack of refused) {
      expect(ack).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    }
    const { messages } = await tabs[0]!.ok('message:history', { conversationId: chat, limit: 100 });
    expect(messages).toHaveLength(10);
    // Bob's budget is his own.
    const bob = await server.connect('bob');
    expect((await burst([bob], chat, 1))[0]).toMatchObject({ ok: true });
  });

  it('refuses a user’s connection past the cap with a clear error, and takes one again after a close', async () => {
    server = await TestServer.start({ connectionLimits: { perUser: 3, perAddress: 100 } });
    const tabs = await Promise.all([1, 2, 3].map(() => server.connect('alice')));
    const refused = await expectConnectError(server.url, await server.token('alice'));
    expect(refused.message).toBe('rate_limited');
    expect(refused.data).toMatchObject({ message: expect.stringMatching(/at most 3/) });
    // Others are not affected.
    await server.connect('bob');

    tabs[0]!.close();
    await tabs[0]!.waitForDisconnect();
    await expect.poll(async () => (await server.connect('alice').then(() => true, () => false))).toBe(true);
  });

  it('refuses connections from one address past its cap, whoever they are', async () => {
    server = await TestServer.start({ connectionLimits: { perUser: 10, perAddress: 3 } });
    await server.connect('alice');
    await server.connect('bob');
    await server.connect('carol');
    const refused = await expectConnectError(server.url, await server.token('dave'));
    expect(refused.message).toBe('rate_limited');
    expect(refused.data).toMatchObject({ message: expect.stringMatching(/this address \(at most 3\)/) });
  });
});

const services = await probeServices(['postgres', 'redis']);

describe.skipIf(!services.available)('the per-user send limit across processes (PostgreSQL and Redis)', () => {
  let cluster: Cluster | undefined;
  afterEach(() => cluster?.close());

  it('counts a user’s sends on every process against one budget', async () => {
    // Almost no refill: what is stored is the burst, shared by both processes.
    cluster = await Cluster.start(2, { IM_SEND_RATE_LIMIT: '10/0.01' });
    const onA = await Promise.all([1, 2].map(() => cluster!.connect(0, 'alice')));
    const onB = await Promise.all([1, 2].map(() => cluster!.connect(1, 'alice')));
    await cluster.connect(1, 'bob');
    const chat = (await onA[0]!.ok('conversation:start', { userId: 'bob' })).conversation.id;
    const acks = await burst([...onA, ...onB], chat, 8);
    expect(acks.filter((ack) => ack.ok)).toHaveLength(10);
    expect(acks.filter((ack) => !ack.ok).every((ack) => !ack.ok && ack.error.code === 'rate_limited')).toBe(true);
  });
});
