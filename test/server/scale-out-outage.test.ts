/**
 * PostgreSQL or Redis going away while servers run: senders get `unavailable` (never an
 * ack for what was not stored and fanned out), and everything works again once they are
 * back. Each service is reached through a relay that the test cuts and restores.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';
import { createServer, type ImChatServer } from '../../src/server/create-server.js';
import { connectRedis, type ScaleOut } from '../../src/server/scale-out/redis-link.js';
import { PostgresStorage } from '../../src/server/storage/postgres/postgres-storage.js';
import { connectClient, type TestClient } from '../support/node/client.js';
import {
  createRedisPrefix,
  createTestSchema,
  databaseUrl,
  probeServices,
  redisUrl,
} from '../support/node/services.js';
import { TcpProxy } from '../support/node/tcp-proxy.js';
import { mintToken } from '../support/node/tokens.js';
import { withTimeout } from '../support/node/wait.js';

const services = await probeServices(['postgres', 'redis']);

/** `url` with its host and port replaced by the proxy's. */
function through(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  await withTimeout(
    (async () => {
      while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
    })(),
    20_000,
    what,
  );
}

describe.skipIf(!services.available)('PostgreSQL and Redis outages', () => {
  const cleanups: (() => Promise<void>)[] = [];
  const secret = randomBytes(32);
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** `count` in-process servers sharing a fresh schema and prefix, reached through relays. */
  async function start(count: number) {
    const postgres = await TcpProxy.start(targetOf(databaseUrl, 5432));
    const redis = await TcpProxy.start(targetOf(redisUrl, 6379));
    cleanups.push(() => postgres.close(), () => redis.close());
    const schema = await createTestSchema();
    const prefix = createRedisPrefix();
    cleanups.push(() => schema.drop(), () => prefix.clear());
    const servers: { server: ImChatServer; url: string; link: ScaleOut }[] = [];
    for (let i = 0; i < count; i++) {
      const storage = new PostgresStorage({ connectionString: through(databaseUrl, postgres), schema: schema.schema });
      await storage.migrate();
      const link = await connectRedis({ url: through(redisUrl, redis), prefix: prefix.prefix, clock: { now: () => Date.now() } });
      const server = createServer({ storage, auth: createJwtAuthenticator({ secret }), scaleOut: link });
      const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
      cleanups.push(async () => {
        await server.close();
        await link.close();
        await storage.close();
      });
      servers.push({ server, url, link });
    }
    return { postgres, redis, servers };
  }

  const connect = async (url: string, sub: string) => {
    const client = await connectClient(url, await mintToken(secret, { sub, name: sub }));
    cleanups.push(async () => client.close());
    return client;
  };
  const send = (client: TestClient, conversationId: string, clientId: string) =>
    client.command('message:send', { conversationId, clientId, body: { type: 'text', text: clientId } });

  it('answers unavailable while PostgreSQL is away, stores nothing then, and recovers', async () => {
    const { postgres, servers } = await start(1);
    const alice = await connect(servers[0]!.url, 'alice');
    const bob = await connect(servers[0]!.url, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    expect(await send(alice, conversation.id, 'message-before')).toMatchObject({ ok: true });

    postgres.cut();
    expect(await send(alice, conversation.id, 'message-during')).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    expect(await alice.command('message:history', { conversationId: conversation.id, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });

    postgres.restore();
    // The outbox sends it again, unchanged: stored once now, and delivered.
    const retried = await send(alice, conversation.id, 'message-during');
    expect(retried).toMatchObject({ ok: true, data: { duplicate: false, message: { seq: 2 } } });
    await bob.waitFor('message:new', (m) => m.clientId === 'message-during');
    const { messages } = await bob.ok('message:history', { conversationId: conversation.id, limit: 10 });
    expect(messages.map((m) => m.clientId)).toEqual(['message-before', 'message-during']);
  });

  it('answers unavailable while Redis is away, and fans out again once it is back', async () => {
    const { redis, servers } = await start(2);
    const alice = await connect(servers[0]!.url, 'alice');
    const bob = await connect(servers[1]!.url, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    expect(await send(alice, conversation.id, 'message-before')).toMatchObject({ ok: true });
    await bob.waitFor('message:new', (m) => m.clientId === 'message-before');

    redis.cut();
    await until(() => !servers[0]!.link.available(), 'the link to notice that Redis is gone');
    // Stored but not fanned out would be an ack that misleads: nothing is done instead.
    expect(await send(alice, conversation.id, 'message-during')).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });

    redis.restore();
    await until(() => servers.every(({ link }) => link.available()), 'both links to be back');
    const retried = await send(alice, conversation.id, 'message-during');
    expect(retried).toMatchObject({ ok: true, data: { duplicate: false, message: { seq: 2 } } });
    expect(await bob.waitFor('message:new', (m) => m.clientId === 'message-during')).toMatchObject({ seq: 2 });
    const reply = await send(bob, conversation.id, 'message-after');
    expect(reply).toMatchObject({ ok: true });
    await alice.waitFor('message:new', (m) => m.clientId === 'message-after');
  });

  it('delivers every message acked while Redis died to the members connected elsewhere, once it is back', async () => {
    const { redis, servers } = await start(2);
    const alice = await connect(servers[0]!.url, 'alice');
    const bob = await connect(servers[1]!.url, 'bob');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const devices = [alice, bob].map((client) => follow(client, conversation.id));

    // Both talk at once; Redis goes away in the middle of it.
    let talking = true;
    const acked: number[] = [];
    const talk = async (device: Device, name: string) => {
      for (let n = 0; talking; n++) {
        const answer = await send(device.client, conversation.id, `${name}-${String(n).padStart(5, '0')}`);
        if (answer.ok) {
          acked.push(answer.data.message.seq);
          device.known.add(answer.data.message.seq);
        }
      }
    };
    const talkers = devices.flatMap((device, index) =>
      Array.from({ length: 4 }, (_, lane) => talk(device, `${index ? 'bob' : 'alice'}-${lane}`)),
    );
    await until(() => acked.length >= 40, 'some messages before the outage');
    redis.cut();
    await until(() => servers.every(({ link }) => !link.available()), 'both links to notice that Redis is gone');
    talking = false;
    await Promise.all(talkers);
    const before = devices.map((device) => device.syncsRequired);

    redis.restore();
    await until(() => servers.every(({ link }) => link.available()), 'both links to be back');
    // Nobody sends or syncs by hand: the server tells both connections to catch up.
    const missing = () => devices.map((device) => acked.filter((seq) => !device.known.has(seq)));
    await withTimeout(
      (async () => {
        while (missing().some((seqs) => seqs.length > 0)) await new Promise((resolve) => setTimeout(resolve, 50));
      })(),
      10_000,
      'every acked message to reach both members',
    ).catch(() => undefined);
    expect(missing()).toEqual([[], []]);
    expect(devices.map((device, index) => device.syncsRequired > before[index]!)).toEqual([true, true]);
  });
});

interface Device {
  client: TestClient;
  /** Seqs this member has: its own acked sends, live messages, and what it fetched. */
  known: Set<number>;
  syncsRequired: number;
}

/** A member's device as the protocol describes it: it catches up when told to. */
function follow(client: TestClient, conversationId: string): Device {
  const device: Device = { client, known: new Set(), syncsRequired: 0 };
  client.socket.on('message:new', (message) => {
    if (message.conversationId === conversationId) device.known.add(message.seq);
  });
  const catchUp = async (): Promise<void> => {
    let afterSeq = 0;
    for (;;) {
      if (client.socket.disconnected) return;
      const page = await client.command('message:history', { conversationId, afterSeq, limit: 100 }).catch(() => null);
      if (!page?.ok) {
        setTimeout(() => void catchUp(), 200);
        return;
      }
      for (const message of page.data.messages) device.known.add(message.seq);
      const last = page.data.messages.at(-1);
      if (!page.data.hasMore || !last) return;
      afterSeq = last.seq;
    }
  };
  client.socket.on('sync:required', () => {
    device.syncsRequired++;
    void catchUp();
  });
  return device;
}
