/**
 * One of two server processes sharing PostgreSQL and Redis is killed (SIGKILL) while
 * people on both send to one group: no acknowledged message is lost, the people of the
 * dead process reconnect to the other one and resend what their outbox holds, and
 * everyone catches up with no gap and no duplicate.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { Cluster } from '../support/node/cluster.js';
import { probeServices } from '../support/node/services.js';
import { withTimeout } from '../support/node/wait.js';

const services = await probeServices(['postgres', 'redis']);

const tabsPerSide = 4;
const messagesPerTab = 30;

describe.skipIf(!services.available)('a process of two killed while messages are in flight', () => {
  let cluster: Cluster | undefined;
  afterEach(() => cluster?.close());

  it('loses no acknowledged message, and everyone catches up on the other process', async () => {
    // Many sends at once from few users: the per-user limit is not what is tested here.
    cluster = await Cluster.start(2, { IM_SEND_RATE_LIMIT: '10000/10000' });
    const [a, b] = [0, 1];
    const owner = await cluster.connect(b, 'owner');
    // Readers on both sides; the one on A will have to move to B.
    const readerOnA = await cluster.connect(a, 'reader');
    const readerOnB = await cluster.connect(b, 'watcher');
    const senders = ['alice', 'bob'];
    const tabsOnA = await Promise.all(Array.from({ length: tabsPerSide }, () => cluster!.connect(a, 'alice')));
    const tabsOnB = await Promise.all(Array.from({ length: tabsPerSide }, () => cluster!.connect(b, 'bob')));
    const { conversation } = await owner.ok('group:create', {
      name: 'Busy',
      memberIds: [...senders, 'reader', 'watcher'],
    });
    const group = conversation.id;
    await readerOnA.waitFor('message:new', (m) => m.conversationId === group);

    const clientIdsOf = (side: string, tab: number) =>
      Array.from({ length: messagesPerTab }, (_, i) => `${side}-tab${tab}-message-${i}`);
    const send = (tab: TestClient, clientId: string) =>
      tab.command('message:send', { conversationId: group, clientId, body: { type: 'text', text: clientId } });

    // Each tab sends one message after the other, as an outbox does, until it is cut off.
    const acknowledged = new Map<string, Message>();
    const run = (tabs: TestClient[], side: string) =>
      tabs.map(async (tab, index) => {
        for (const clientId of clientIdsOf(side, index)) {
          const ack = await send(tab, clientId).catch(() => null);
          if (!ack?.ok) return;
          acknowledged.set(clientId, ack.data.message);
        }
      });
    const runningOnA = run(tabsOnA, 'a');
    const runningOnB = run(tabsOnB, 'b');
    const total = 2 * tabsPerSide * messagesPerTab;
    await withTimeout(
      (async () => {
        while (acknowledged.size < total * 0.3) await new Promise((resolve) => setTimeout(resolve, 1));
      })(),
      20_000,
      'a third of the messages to be acknowledged',
    );
    await cluster.processes[a]!.kill();
    await Promise.allSettled([...runningOnA, ...runningOnB]);
    expect(acknowledged.size).toBeLessThan(total); // the crash came mid-load

    // Alice's tabs come back on B and resend everything their outbox held.
    const resendTabs = await Promise.all(tabsOnA.map(() => cluster!.connect(b, 'alice')));
    const resent = await Promise.all(
      resendTabs.flatMap((tab, index) => clientIdsOf('a', index).map((clientId) => send(tab, clientId))),
    );
    for (const ack of resent) {
      expect(ack.ok).toBe(true);
      if (!ack.ok) continue;
      const before = acknowledged.get(ack.data.message.clientId);
      // What was acknowledged before the crash comes back as it was, as a duplicate.
      if (before) expect(ack.data).toEqual({ message: before, duplicate: true });
      acknowledged.set(ack.data.message.clientId, ack.data.message);
    }

    const history = async (client: TestClient, afterSeq = 0) => {
      const messages: Message[] = [];
      for (;;) {
        const page = await client.ok('message:history', { conversationId: group, afterSeq, limit: 100 });
        messages.push(...page.messages);
        if (!page.hasMore) return messages;
        afterSeq = page.messages.at(-1)!.seq;
      }
    };
    const stored = await history(readerOnB);
    const storedByClientId = new Map(stored.map((message) => [`${message.senderId}/${message.clientId}`, message]));
    expect(storedByClientId.size).toBe(stored.length);
    expect(stored.map((message) => message.seq)).toEqual(stored.map((_, i) => i + 1));
    for (const message of acknowledged.values()) {
      expect(storedByClientId.get(`${message.senderId}/${message.clientId}`)).toEqual(message);
    }
    // Everything every tab held is stored now: Bob's tabs on B were never cut off.
    expect(stored.filter((message) => message.body.type === 'text')).toHaveLength(total);

    // The reader who was on A reconnects to B and, as a client does, fetches what follows
    // the last seq it has without a gap; its cache keeps one message per seq.
    const cache = new Map<number, Message>();
    for (const message of readerOnA.received['message:new']) {
      if (message.conversationId === group) cache.set(message.seq, message);
    }
    let contiguous = 0;
    while (cache.has(contiguous + 1)) contiguous++;
    const readerAgain = await cluster.connect(b, 'reader');
    for (const message of await history(readerAgain, contiguous)) cache.set(message.seq, message);
    expect([...cache.values()].sort((x, y) => x.seq - y.seq)).toEqual(stored);
    // The one on B, connected all along, got each event live at most once.
    const live = readerOnB.received['message:new'].filter((m) => m.conversationId === group);
    expect(new Set(live.map((message) => message.id)).size).toBe(live.length);
  });
});
