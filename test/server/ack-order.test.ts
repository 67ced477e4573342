/**
 * A sender learns the seq of its own message (the ack) before any later entry of the same
 * conversation reaches its connection: otherwise a client that fetches history on every
 * gap, as the protocol says, would fetch its own in-flight messages.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ack, SendMessageResult } from '../../src/protocol/index.js';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';
import { createServer } from '../../src/server/create-server.js';
import { openSqliteWorkerStorage } from '../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import { connectClient, type TestClient } from '../support/node/client.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { mintToken } from '../support/node/tokens.js';
import { withTimeout } from '../support/node/wait.js';

type Seen = { kind: 'ack' | 'new'; seq: number };

describe('ack order on the sender connection', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('acks each send before any message:new with a higher seq, while others send too', async () => {
    const dir = await createTempDir();
    cleanups.push(() => dir.remove());
    // The storage the server runs with: commits in batches on a worker thread.
    const storage = openSqliteWorkerStorage({ filename: join(dir.path, 'im-chat.sqlite') });
    await storage.migrate();
    cleanups.push(() => storage.close());
    const secret = randomBytes(32);
    const senders = ['ann', 'ben', 'cat'];
    for (const id of senders) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, Date.now());
    const server = createServer({
      storage,
      auth: createJwtAuthenticator({ secret }),
      rateLimit: { capacity: 1_000, refillPerSecond: 1_000 },
      sendRateLimit: { capacity: 1_000, refillPerSecond: 1_000 },
    });
    const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => server.close());

    const clients: TestClient[] = [];
    for (const sub of senders) {
      const client = await connectClient(url, await mintToken(secret, { sub, name: sub }));
      cleanups.push(async () => client.close());
      clients.push(client);
    }
    const { conversation } = await clients[0]!.ok('group:create', { name: 'burst', memberIds: ['ben', 'cat'] });
    const logs = clients.map((client) => {
      const seen: Seen[] = [];
      client.socket.on('message:new', (message) => {
        if (message.conversationId === conversation.id) seen.push({ kind: 'new', seq: message.seq });
      });
      return seen;
    });

    const perSender = 60;
    const sends = clients.flatMap((client, index) =>
      Array.from({ length: perSender }, (_, n) =>
        withTimeout(
          new Promise<void>((resolve, reject) => {
            const payload = {
              conversationId: conversation.id,
              clientId: `burst-${senders[index]}-${n}`,
              body: { type: 'text' as const, text: `${n}` },
            };
            // The ack callback runs in the order packets arrive, like message:new handlers.
            client.socket.emit('message:send', payload, (ack: Ack<SendMessageResult>) => {
              if (!ack.ok) return reject(new Error(JSON.stringify(ack.error)));
              logs[index]!.push({ kind: 'ack', seq: ack.data.message.seq });
              resolve();
            });
          }),
          20_000,
          'an ack',
        ),
      ),
    );
    await Promise.all(sends);

    for (const seen of logs) {
      const acks = seen.filter((entry) => entry.kind === 'ack');
      expect(acks).toHaveLength(perSender);
      const early = acks.flatMap((ack) => {
        const before = seen.slice(0, seen.indexOf(ack));
        return before.filter((entry) => entry.kind === 'new' && entry.seq > ack.seq).map((entry) => [ack.seq, entry.seq]);
      });
      // [own seq, later seq that arrived before its ack]
      expect(early).toEqual([]);
    }
  });
});
