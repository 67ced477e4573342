/**
 * What the orchestrator and its child processes say to each other. A child gets its
 * settings as JSON in BENCH_CONFIG and talks back over the IPC channel of `fork`.
 */
import type { RateLimitOptions } from '../../src/server/rate-limit.js';
import type { StatementCount } from '../../src/server/storage/statement-count.js';
import type { LoadResult } from './ledger.js';

export interface TargetConfig {
  /** HS256 secret, hex; the load generator signs its tokens with it. */
  secretHex: string;
  /** A fresh, empty directory for the target's data (shared by the processes of one target). */
  dataDir: string;
  rateLimit: RateLimitOptions;
  /** im-chat on PostgreSQL (a schema of its own) instead of SQLite in `dataDir`. */
  postgres?: { url: string; schema: string };
  /** im-chat's processes linked through Redis (a key prefix of their own). */
  redis?: { url: string; prefix: string };
  /** The storage counts its statements, for the `statements` question. */
  countStatements?: boolean;
}

/** A process's memory after a full garbage collection (when the process allows one). */
export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
}

export interface GeneratorConfig {
  /** One URL per server process; client i connects to `urls[i % urls.length]`. */
  urls: string[];
  secretHex: string;
  clients: number;
  seconds: number;
  warmupSeconds: number;
  window: number;
}

/** A process's CPU time and event-loop time, read at one moment; compared between two. */
export interface UsageSample {
  elapsedMs: number;
  cpuMicros: number;
  loopActiveMs: number;
  loopIdleMs: number;
}

export type ToTarget = { type: 'usage' } | { type: 'memory' } | { type: 'statements' } | { type: 'stop' };
export type ToGenerator = { type: 'stop' };
export type FromTarget =
  | { type: 'listening'; port: number }
  | { type: 'usage'; usage: UsageSample }
  | { type: 'memory'; memory: MemorySample }
  | { type: 'statements'; count: StatementCount };
export type FromGenerator =
  | { type: 'measuring' }
  | { type: 'measured' }
  | { type: 'result'; result: LoadResult };

const configVariable = 'BENCH_CONFIG';

export function configEnv(config: object): Record<string, string> {
  return { [configVariable]: JSON.stringify(config) };
}

/** In a child: the settings the orchestrator passed. */
export function readConfig<T extends object>(): T {
  const json = process.env[configVariable];
  if (!json) throw new Error(`${configVariable} is not set: this module is started by test/bench/run.ts`);
  return JSON.parse(json) as T;
}

/** In a child: a message to the orchestrator; resolves once it has been handed over. */
export function tellParent<M extends { type: string }>(message: M): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('no IPC channel: this module is started by test/bench/run.ts');
  return new Promise((resolve, reject) => {
    send(message, undefined, undefined, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

export function sampleUsage(): UsageSample {
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  return {
    elapsedMs: performance.now(),
    cpuMicros: cpu.user + cpu.system,
    loopActiveMs: loop.active,
    loopIdleMs: loop.idle,
  };
}

/** CPU use as a share of one core, and how busy the event loop was, between two samples. */
export function usageBetween(
  start: UsageSample,
  end: UsageSample,
): { cpuPercent: number; eventLoopPercent: number } {
  const elapsedMs = end.elapsedMs - start.elapsedMs;
  const activeMs = end.loopActiveMs - start.loopActiveMs;
  const loopMs = activeMs + (end.loopIdleMs - start.loopIdleMs);
  return {
    cpuPercent: (100 * (end.cpuMicros - start.cpuMicros)) / 1000 / elapsedMs,
    eventLoopPercent: loopMs > 0 ? (100 * activeMs) / loopMs : 0,
  };
}

/** Memory once garbage is collected: the process runs with --expose-gc for this. */
export function sampleMemory(): MemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssBytes: rss, heapUsedBytes: heapUsed };
}
