/**
 * SIGTERM or SIGINT with people connected (members, a support agent, a visitor): the
 * process finishes what it acknowledged, says nothing on stderr, and exits 0.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, SendMessageResult } from '../../src/protocol/index.js';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import { connectClient, type TestClient } from '../support/node/client.js';
import { MainProcess } from '../support/node/main-process.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';

const listeningLine = /^im-chat server listening on http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\/$/;

describe('shutdown of the server process', { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: exit 0, nothing on stderr, and every acked message stored`, async () => {
      const dataDir: TempDir = await createTempDir();
      cleanups.push(() => dataDir.remove());
      const child = new MainProcess({ IM_DATA_DIR: dataDir.path, IM_PORT: '0' }, ['--demo']);
      cleanups.push(() => child.stop());
      const base = `http://127.0.0.1:${Number((await child.waitForLine(listeningLine))[1])}`;
      // The demo warning is the one line on stderr before the signal.
      await child.waitForLine(/demo mode.*anyone/i, 'stderr');

      const post = async (path: string, body: unknown) => {
        const response = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(response.ok).toBe(true);
        return response.json() as Promise<Record<string, string>>;
      };
      const clients: TestClient[] = [];
      const connect = async (token: string) => {
        const client = await connectClient(base, token);
        clients.push(client);
        return client;
      };
      cleanups.push(async () => clients.forEach((client) => client.close()));
      const [alice, bob] = [await connect((await post('/api/demo/token', { userId: 'alice' }))['token']!), await connect((await post('/api/demo/token', { userId: 'bob' }))['token']!)];
      for (const agent of ['sam', 'kim']) await connect((await post('/api/demo/token', { userId: agent }))['token']!);
      const { visitorId, secret } = await post('/api/support/visitors', {});
      const visitor = await connect((await post('/api/support/visitors/token', { visitorId, secret }))['token']!);
      await visitor.ok('support:config', {});
      await visitor.ok('support:start', { page: { url: 'https://shop.example/chair', title: 'Chair' } });

      const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
      const acked: string[] = [];
      const send = (from: TestClient, clientId: string) =>
        new Promise<void>((resolve) => {
          const payload = { conversationId: conversation.id, clientId, body: { type: 'text' as const, text: clientId } };
          from.socket.emit('message:send', payload, (ack: Ack<SendMessageResult>) => {
            if (ack.ok) acked.push(clientId);
            resolve();
          });
          // Cut off by the shutdown: unknown, as the protocol says; the outbox resends.
          from.socket.once('disconnect', () => resolve());
        });
      for (let n = 0; n < 5; n++) await send(alice, `before-signal-${n}`);
      // Sends still in flight when the signal arrives.
      const inFlight = Array.from({ length: 20 }, (_, n) => send(n % 2 ? bob : alice, `in-flight-${n}`));
      const [stdoutBefore, stderrBefore] = [child.stdout, child.stderr];

      child.signal(signal);
      expect(await child.exitCode(10_000)).toBe(0);
      await Promise.all(inFlight);
      expect(child.stderr.slice(stderrBefore.length)).toBe('');
      // The log (pino, on stdout): no warning or error while stopping.
      const logged = child.stdout.slice(stdoutBefore.length).split('\n').filter(Boolean);
      expect(logged.filter((line) => !/"level":\s*[1-3]\d\b/.test(line))).toEqual([]);
      await Promise.all(clients.map((client) => client.waitForDisconnect()));

      const storage = new SqliteStorage({ filename: join(dataDir.path, 'im-chat.sqlite') });
      await storage.migrate();
      try {
        const { messages } = await storage.messages.read.history(conversation.id, { limit: 100 });
        const stored = messages.map((message) => message.clientId);
        expect(acked.length).toBeGreaterThanOrEqual(5);
        expect(stored).toEqual(expect.arrayContaining(acked));
      } finally {
        await storage.close();
      }
    });
  }
});
