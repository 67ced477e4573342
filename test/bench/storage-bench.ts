/**
 * Storage alone, without sockets: im-chat's SQLite storage appending messages through its
 * messages area as the server does (on this thread, and on the worker thread the server
 * runs it on) against the minimal store (minimal-store.ts), the floor. Appends go in
 * batches that are in flight at once (~50, and ~200: the server's group-commit size under
 * load). Measured per message: CPU time (every thread of the process, commits and
 * checkpoints included) and bytes written to the disk (WAL and checkpoints). Each run is a
 * fresh process on a fresh file; the rounds interleave the stores.
 */
import { join } from 'node:path';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import { configEnv } from './ipc.js';
import { table } from './report.js';
import { formatSpread, roundSpread, spreadOf, type Spread } from './spread.js';
import { createTempDir } from '../support/node/temp-dir.js';

export type StoreKind = 'minimal' | 'im-chat' | 'im-chat-worker';

const storeNames: Record<StoreKind, string> = {
  minimal: 'minimal store',
  'im-chat': 'im-chat SqliteStorage',
  'im-chat-worker': 'im-chat, worker thread',
};
const stores: readonly StoreKind[] = ['minimal', 'im-chat', 'im-chat-worker'];

/** As many conversations as the messaging benchmark's 500 clients have. */
const pairs = 250;
const runMs = 600_000;
const stopGraceMs = 5_000;

export interface StorageChildConfig {
  store: StoreKind;
  dataDir: string;
  /** A database file with the users and conversations made, copied before the run; null: make them. */
  template: string | null;
  batch: number;
  pairs: number;
  warmupMessages: number;
  messages: number;
}

/** What one run measured. */
export interface StorageRun {
  store: StoreKind;
  batch: number;
  messages: number;
  cpuMicrosPerMessage: number;
  /** null where the system does not say (not Linux). */
  bytesPerMessage: number | null;
  /** Wall clock, commits' waits for the disk included; the machine's other load moves it. */
  messagesPerSecond: number;
}

type FromChild = { type: 'result'; result: StorageRun | null };

export interface StorageResult {
  store: StoreKind;
  name: string;
  batch: number;
  cpuMicrosPerMessage: Spread;
  bytesPerMessage: Spread | null;
  messagesPerSecond: Spread;
  /** CPU and bytes per message against the minimal store's, round by round. */
  againstMinimal: { cpu: Spread; bytes: Spread | null } | null;
}

export interface StorageReport {
  messages: number;
  warmupMessages: number;
  pairs: number;
  rounds: number;
  results: StorageResult[];
  runs: StorageRun[][];
}

export async function benchStorage(
  options: { messages: number; batches: readonly number[]; rounds: number },
  cleanup: Cleanup,
): Promise<StorageReport> {
  const runs = new Map<string, StorageRun[]>();
  const key = (store: StoreKind, batch: number) => `${store}/${batch}`;
  const templateDir = await createTempDir('im-chat-storage-bench-');
  const removeTemplate = cleanup.add(() => templateDir.remove());
  try {
    console.error(`bench: storage: making ${pairs} single chats in im-chat's storage`);
    const template = join(templateDir.path, 'im-chat.sqlite');
    await runChild({ store: 'im-chat', dataDir: templateDir.path, template: null, batch: 1, pairs, warmupMessages: 0, messages: 0 }, cleanup);
    for (let round = 1; round <= options.rounds; round++) {
      for (const batch of options.batches) {
        for (const store of stores) {
          console.error(`bench: storage: ${storeNames[store]}, batches of ${batch}: round ${round} of ${options.rounds}`);
          const result = await runOnce(
            {
              store,
              template: store === 'minimal' ? null : template,
              batch,
              pairs,
              warmupMessages: warmupFor(options.messages, batch),
              messages: options.messages,
            },
            cleanup,
          );
          runs.set(key(store, batch), [...(runs.get(key(store, batch)) ?? []), result]);
        }
      }
    }
  } finally {
    await removeTemplate();
  }
  const results: StorageResult[] = [];
  for (const batch of options.batches) {
    const minimal = runs.get(key('minimal', batch))!;
    for (const store of stores) {
      const own = runs.get(key(store, batch))!;
      const bytes = own.every((run) => run.bytesPerMessage !== null)
        ? own.map((run) => run.bytesPerMessage!)
        : null;
      const perRound = (pick: (run: StorageRun) => number) =>
        roundSpread(spreadOf(own.map((run, index) => pick(run) / pick(minimal[index]!))), 3);
      results.push({
        store,
        name: storeNames[store],
        batch,
        cpuMicrosPerMessage: roundSpread(spreadOf(own.map((run) => run.cpuMicrosPerMessage)), 1),
        bytesPerMessage: bytes && roundSpread(spreadOf(bytes), 0),
        messagesPerSecond: roundSpread(spreadOf(own.map((run) => run.messagesPerSecond)), 0),
        againstMinimal:
          store === 'minimal'
            ? null
            : { cpu: perRound((run) => run.cpuMicrosPerMessage), bytes: bytes && perRound((run) => run.bytesPerMessage!) },
      });
    }
  }
  return {
    messages: options.messages,
    warmupMessages: warmupFor(options.messages, Math.max(...options.batches)),
    pairs,
    rounds: options.rounds,
    results,
    runs: [...runs.values()],
  };
}

/** Enough to reach a steady state (statements prepared, code optimized, the WAL cycling). */
function warmupFor(messages: number, batch: number): number {
  return Math.max(batch * 5, Math.round(messages / 10));
}

/** One measured run in a fresh directory, removed afterwards. */
async function runOnce(config: Omit<StorageChildConfig, 'dataDir'>, cleanup: Cleanup): Promise<StorageRun> {
  const dataDir = await createTempDir('im-chat-storage-bench-');
  const removeDir = cleanup.add(() => dataDir.remove());
  try {
    const result = await runChild({ ...config, dataDir: dataDir.path }, cleanup);
    if (!result) throw new Error('a storage run measured nothing');
    return result;
  } finally {
    await removeDir();
  }
}

async function runChild(config: StorageChildConfig, cleanup: Cleanup): Promise<StorageRun | null> {
  const child = new ChildHandle<FromChild, { type: 'stop' }>(
    `storage run (${storeNames[config.store]})`,
    'test/bench/storage-bench-child.ts',
    { env: configEnv(config) },
  );
  // The child exits once it has answered; stopping is for Ctrl-C and failures.
  const stopChild = cleanup.add(() => child.stop(stopGraceMs, { type: 'stop' }));
  try {
    return (await child.receive('result', runMs)).result;
  } finally {
    await stopChild();
  }
}

export function formatStorage(report: StorageReport): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const rows: string[][] = [
    ['', 'batch', 'CPU per message (µs)', 'written per message (KB)', 'messages/s', 'CPU / minimal', 'written / minimal'],
  ];
  for (const result of report.results) {
    rows.push([
      result.name,
      String(result.batch),
      formatSpread(result.cpuMicrosPerMessage, (value) => value.toFixed(1)),
      result.bytesPerMessage ? formatSpread(result.bytesPerMessage, kb) : '–',
      formatSpread(result.messagesPerSecond, (value) => Math.round(value).toLocaleString('en-US')),
      result.againstMinimal ? formatSpread(result.againstMinimal.cpu, times) : '',
      result.againstMinimal?.bytes ? formatSpread(result.againstMinimal.bytes, times) : '',
    ]);
  }
  return [
    `Storage alone: ${report.messages.toLocaleString('en-US')} text messages of ~100 characters per run ` +
      `(after ${report.warmupMessages.toLocaleString('en-US')} not measured) over ${report.pairs} single chats, ` +
      `each run a fresh process and file, ${report.rounds} interleaved round(s)`,
    'SQLite, WAL, synchronous = FULL. minimal store: dedupe on (sender, clientId), gap-free seq, the row, ' +
      'a trigram FTS5 entry, the read position; one transaction per batch.',
    "im-chat SqliteStorage: its messages area's append, a batch in flight at once (its group commit); " +
      'worker thread: the same through the worker the server runs it on.',
    'CPU: every thread of the process, commits and checkpoints included. Written: bytes the process had ' +
      'written to the disk (WAL and checkpoints, the final one included).',
    'Each cell: the median over the rounds (lowest–highest).',
    '',
    table(rows),
  ].join('\n');
}

const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
