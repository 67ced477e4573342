/**
 * Exactly-once across a crash: the real server entry is killed (SIGKILL) while messages
 * are in flight, then started again on the same data.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { connectClient, type TestClient } from '../support/node/client.js';
import { ServerProcess } from '../support/node/server-process.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';
import { mintToken } from '../support/node/tokens.js';
import { withTimeout } from '../support/node/wait.js';

/**
 * Like a user with several tabs open, sending faster than the per-user limit allows: the
 * limit is lifted here, since what is tested is the crash, not the limit.
 */
const tabs = 8;
const messagesPerTab = 35;
const unlimitedSends = '10000/10000';

describe('a server process killed while messages are in flight', () => {
  let dataDir: TempDir;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await server?.kill();
    await dataDir?.remove();
  });

  it('loses no acknowledged message, and a resend of any of them makes no duplicate', async () => {
    dataDir = await createTempDir();
    const secret = randomBytes(24).toString('base64url');
    server = await ServerProcess.start({ dataDir: dataDir.path, env: { IM_JWT_SECRET: secret, IM_SEND_RATE_LIMIT: unlimitedSends } });
    const connect = async (sub: string) => {
      const token = await mintToken(new TextEncoder().encode(secret), { sub });
      const client = await connectClient(server!.url, token);
      clients.push(client);
      return client;
    };
    await connect('bob');
    const aliceTabs = await Promise.all(Array.from({ length: tabs }, () => connect('alice')));
    const { conversation } = await aliceTabs[0]!.ok('conversation:start', { userId: 'bob' });
    const send = (tab: TestClient, clientId: string) =>
      tab.command('message:send', {
        conversationId: conversation.id,
        clientId,
        body: { type: 'text', text: clientId },
      });

    const clientIds = aliceTabs.map((_, tab) =>
      Array.from({ length: messagesPerTab }, (_, i) => `tab${tab}-message-${i}`),
    );
    // Each tab sends one message after the other, as an outbox does, until the crash.
    const acknowledged = new Map<string, Message>();
    const inFlight = aliceTabs.map(async (tab, index) => {
      for (const clientId of clientIds[index]!) {
        const ack = await send(tab, clientId).catch(() => null); // no ack: the crash came first
        if (!ack?.ok) return;
        acknowledged.set(clientId, ack.data.message);
      }
    });
    await withTimeout(
      (async () => {
        while (acknowledged.size < tabs * messagesPerTab * 0.3) await new Promise((r) => setTimeout(r, 1));
      })(),
      10_000,
      'a third of the messages to be acknowledged',
    );
    await server.kill();
    await Promise.allSettled(inFlight);
    expect(acknowledged.size).toBeLessThan(tabs * messagesPerTab); // the crash came mid-load
    for (const client of clients.splice(0)) client.close();

    await server.start();
    const alice = await connect('alice');
    const stored: Message[] = [];
    for (let afterSeq = 0; ; ) {
      const page = await alice.ok('message:history', { conversationId: conversation.id, afterSeq, limit: 100 });
      stored.push(...page.messages);
      if (!page.hasMore) break;
      afterSeq = page.messages.at(-1)!.seq;
    }

    // Every acknowledged message survived, as acknowledged; seqs have no gap; nothing twice.
    const storedByClientId = new Map(stored.map((message) => [message.clientId, message]));
    expect(storedByClientId.size).toBe(stored.length);
    for (const [clientId, message] of acknowledged) expect(storedByClientId.get(clientId)).toEqual(message);
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, i) => i + 1));

    // The tabs' outboxes resend everything they hold: what was stored comes back as a duplicate.
    const resendTabs = await Promise.all(aliceTabs.map(() => connect('alice')));
    const resent = await Promise.all(
      resendTabs.flatMap((client, index) => clientIds[index]!.map((clientId) => send(client, clientId))),
    );
    for (const ack of resent) expect(ack.ok).toBe(true);
    const all = resent.flatMap((ack) => (ack.ok ? [ack.data] : []));
    for (const { message, duplicate } of all) {
      expect(duplicate).toBe(storedByClientId.has(message.clientId));
    }
    const seqs = all.map(({ message }) => message.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });
});
