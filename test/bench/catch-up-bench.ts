/**
 * Reconnect catch-up: a client away while messages arrive across many conversations;
 * the time from reconnecting to holding every one of them, through im-chat (SQLite, and
 * PostgreSQL + Redis with the reader on the other process when they can be reached)
 * against the bare relay answering the same requests from memory.
 */
import { randomBytes } from 'node:crypto';
import type { CatchUpConfig, FromCatchUp } from './catch-up-generator.js';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import { configEnv } from './ipc.js';
import { percentiles } from './percentiles.js';
import { scaledTargetAvailable, targetNames, withTarget, type TargetKind } from './targets.js';

export interface CatchUpOptions {
  messages: number;
  conversations: number;
}

export interface CatchUpReport {
  options: CatchUpOptions & { rounds: number };
  /** Median ms from reconnecting to fully synced, per target. */
  results: { kind: TargetKind; syncMs: number }[];
}

const rounds = 3;
const runMs = 600_000;
const stopGraceMs = 10_000;

export async function benchCatchUp(options: CatchUpOptions, cleanup: Cleanup): Promise<CatchUpReport> {
  const secretHex = randomBytes(32).toString('hex');
  const kinds: TargetKind[] = ['bare-relay', 'im-chat'];
  if (await scaledTargetAvailable()) kinds.push('im-chat-scaled');
  const results: CatchUpReport['results'] = [];
  for (const kind of kinds) {
    const syncMs = await withTarget(kind, { secretHex }, cleanup, async (target) => {
      console.error(`bench: catch-up: ${target.name}`);
      const config: CatchUpConfig = { urls: target.urls, secretHex, ...options, rounds };
      const clients = new ChildHandle<FromCatchUp, { type: 'stop' }>('catch-up clients', 'test/bench/catch-up-generator.ts', {
        env: configEnv(config),
      });
      const stopClients = cleanup.add(() => clients.stop(stopGraceMs, { type: 'stop' }));
      try {
        return (await clients.receive('result', runMs)).syncMs;
      } finally {
        await stopClients();
      }
    });
    results.push({ kind, syncMs: percentiles(syncMs).p50 });
  }
  return { options: { ...options, rounds }, results };
}

export function formatCatchUp({ options, results }: CatchUpReport): string {
  const bare = results.find((result) => result.kind === 'bare-relay')!;
  return [
    `Reconnect catch-up: ${options.messages.toLocaleString('en-US')} messages arrive across ` +
      `${options.conversations} conversations while a client is away; it reconnects, syncs the changed ` +
      `conversations and fetches their messages (median of ${options.rounds})`,
    '',
    '| server                                     | to fully synced (ms) | / bare relay |',
    '| ------------------------------------------ | -------------------: | -----------: |',
    ...results.map(
      ({ kind, syncMs }) =>
        `| ${targetNames[kind].padEnd(42)} | ${syncMs.toFixed(1).padStart(20)} | ` +
        `${`${(syncMs / bare.syncMs).toFixed(2)}×`.padStart(12)} |`,
    ),
  ].join('\n');
}
