/**
 * Messages/s, delivery latency and server CPU per message through each target: the bare
 * relay, the durable relay, im-chat on SQLite, and im-chat on PostgreSQL + Redis (when
 * they can be reached). Every target runs for the whole section; the rounds interleave
 * them (A B C D A B C D …), so that the machine's other load falls on all of them alike,
 * and each round drives one target with a fresh load generator in its own process.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { messageText } from './bench-client.js';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import { configEnv, usageBetween, type FromGenerator, type ToGenerator } from './ipc.js';
import type { BenchOptions } from './options.js';
import { buildReport, currentLoadAverage, type BenchReport, type TargetResult } from './report.js';
import {
  benchRateLimit,
  scaledTargetAvailable,
  targetNames,
  withTarget,
  type RunningTarget,
  type TargetKind,
} from './targets.js';

const setupMs = 120_000;
/** The generator's drain, plus margin. */
const resultMs = 30_000;
const stopGraceMs = 10_000;

export async function benchMessaging(options: BenchOptions, cleanup: Cleanup): Promise<BenchReport> {
  const secretHex = randomBytes(32).toString('hex');
  const loadAverage1m = currentLoadAverage();
  const kinds: TargetKind[] = ['bare-relay', 'durable-relay', 'im-chat'];
  const scaled = await scaledTargetAvailable();
  if (scaled) kinds.push('im-chat-scaled');
  else console.error(`bench: ${targetNames['im-chat-scaled']}: skipped, PostgreSQL or Redis cannot be reached`);
  const rounds = new Map<TargetKind, TargetResult[]>(kinds.map((kind) => [kind, []]));
  await withTargets(kinds, secretHex, options, cleanup, async (targets) => {
    for (let round = 1; round <= options.rounds; round++) {
      for (const target of targets) {
        console.error(`bench: ${target.name}: round ${round} of ${options.rounds}`);
        rounds.get(target.kind)!.push(await measure(target, options, secretHex, cleanup));
      }
    }
  });
  return buildReport({
    options,
    textLength: messageText.length,
    rateLimit: benchRateLimit,
    loadAverage1m,
    rounds,
    scaledSkipped: !scaled,
  });
}

/** Every target started (one after the other), `work` run with all of them, then all stopped. */
function withTargets<T>(
  kinds: readonly TargetKind[],
  secretHex: string,
  options: BenchOptions,
  cleanup: Cleanup,
  work: (targets: RunningTarget[]) => Promise<T>,
  started: RunningTarget[] = [],
): Promise<T> {
  const [kind, ...rest] = kinds;
  if (kind === undefined) return work(started);
  const targetOptions = { secretHex, nodeArgs: profileArgs(kind, options.cpuProfileDir) };
  return withTarget(kind, targetOptions, cleanup, (target) =>
    withTargets(rest, secretHex, options, cleanup, work, [...started, target]),
  );
}

async function measure(
  target: RunningTarget,
  options: BenchOptions,
  secretHex: string,
  cleanup: Cleanup,
): Promise<TargetResult> {
  const { clients, seconds, warmupSeconds, window } = options;
  const generator = new ChildHandle<FromGenerator, ToGenerator>(
    'load generator',
    'test/bench/load-generator.ts',
    { env: configEnv({ urls: target.urls, secretHex, clients, seconds, warmupSeconds, window }) },
  );
  const stopGenerator = cleanup.add(() => generator.stop(stopGraceMs, { type: 'stop' }));
  try {
    await generator.receive('measuring', setupMs + warmupSeconds * 1000);
    const start = await target.usage();
    await generator.receive('measured', seconds * 1000 + resultMs);
    const end = await target.usage();
    const { result } = await generator.receive('result', resultMs);
    // Every process of the target together (every thread of each): CPU adds up, the busiest event loop counts.
    const usages = start.map((sample, index) => usageBetween(sample, end[index]!));
    const usage = {
      cpuPercent: usages.reduce((sum, one) => sum + one.cpuPercent, 0),
      eventLoopPercent: Math.max(...usages.map((one) => one.eventLoopPercent)),
    };
    const cpuMicrosPerMessage = (usage.cpuPercent * 1e4) / result.messagesPerSecond;
    return { ...result, server: { ...usage, cpuMicrosPerMessage } };
  } finally {
    await stopGenerator();
  }
}

/** One profile per thread (tsx's loader runs in a worker): the main thread's is `CPU.*.<pid>.0.*`. */
function profileArgs(kind: TargetKind, directory: string | null): string[] {
  if (directory === null) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${resolve(directory, kind)}`];
}
