/**
 * The load generator, run in its own process so that its CPU is not the server's:
 * connects the clients, pairs them up, warms up, measures, drains, and reports a
 * LoadResult to the orchestrator.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { mintToken } from '../support/node/tokens.js';
import { BenchClient } from './bench-client.js';
import {
  readConfig,
  sampleUsage,
  tellParent,
  usageBetween,
  type GeneratorConfig,
  type ToGenerator,
} from './ipc.js';
import { Ledger, type LoadResult } from './ledger.js';

/** Connections and conversation starts run this many at a time. */
const setupBatchSize = 50;
/** Longer than the ack timeout, so every pending ack has settled by then. */
const drainTimeoutMs = 15_000;
const drainPollMs = 20;

async function run(config: GeneratorConfig, clients: BenchClient[]): Promise<LoadResult> {
  const ledger = new Ledger();
  const secret = Buffer.from(config.secretHex, 'hex');
  const indexes = Array.from({ length: config.clients }, (_, index) => index);
  await inBatches(indexes, async (index) => {
    const userId = `bench-${String(index).padStart(4, '0')}`;
    const token = await mintToken(secret, { sub: userId, name: `Bench ${index}` });
    const url = config.urls[index % config.urls.length]!;
    clients[index] = await BenchClient.connect({ ...config, url, index, userId, token, ledger });
  });
  // Users exist once connected, so conversations start only after everyone has.
  const starters = clients.filter((client) => client.index % 2 === 0);
  await inBatches(starters, (client) => client.startConversation(clients[client.index + 1]));

  for (const client of clients) client.pump();
  await sleep(config.warmupSeconds * 1000);
  const start = sampleUsage();
  ledger.phase = 'measuring';
  await tellParent({ type: 'measuring' });
  await sleep(config.seconds * 1000);
  ledger.phase = 'draining';
  const end = sampleUsage();
  await tellParent({ type: 'measured' });
  await drain(ledger);

  const summary = ledger.summary();
  const measuredSeconds = (end.elapsedMs - start.elapsedMs) / 1000;
  return {
    clients: config.clients,
    window: config.window,
    measuredSeconds,
    messagesPerSecond: summary.acknowledged / measuredSeconds,
    generator: usageBetween(start, end),
    ...summary,
  };
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += setupBatchSize) {
    await Promise.all(items.slice(start, start + setupBatchSize).map(work));
  }
}

/** Waits until no ack is pending and every acknowledged message arrived, or the time is up. */
async function drain(ledger: Ledger): Promise<void> {
  const deadline = performance.now() + drainTimeoutMs;
  while (!ledger.settled && performance.now() < deadline) await sleep(drainPollMs);
  if (!ledger.settled) {
    console.error(
      `load generator: drain timed out with ${ledger.pendingAcks} acks pending and ` +
        `${ledger.awaitingDelivery} acknowledged messages undelivered`,
    );
  }
}

const clients: BenchClient[] = [];

function exit(code: number): never {
  // forEach skips the holes that a failed connection leaves.
  clients.forEach((client) => client.close());
  process.exit(code);
}

process.once('disconnect', () => exit(1));
process.on('message', (message: ToGenerator) => {
  if (message.type === 'stop') exit(0);
});
run(readConfig<GeneratorConfig>(), clients)
  .then((result) => tellParent({ type: 'result', result }))
  .then(
    () => exit(0),
    (error: unknown) => {
      console.error('load generator failed:', error);
      exit(1);
    },
  );
