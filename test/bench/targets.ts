/**
 * The servers a benchmark measures, each process a child of its own: the bare socket.io
 * relay and the durable relay (the baselines, relay.ts), im-chat on SQLite, and im-chat
 * on PostgreSQL + Redis as several processes. Loopback only; every temp dir, schema and key prefix is removed afterwards.
 */
import type { StatementCount } from '../../src/server/storage/statement-count.js';
import { createRedisPrefix, createTestSchema, databaseUrl, probeServices, redisUrl } from '../support/node/services.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import { configEnv, type FromTarget, type MemorySample, type TargetConfig, type ToTarget, type UsageSample } from './ipc.js';

export type TargetKind = 'bare-relay' | 'durable-relay' | 'im-chat' | 'im-chat-scaled';

export const targetNames: Record<TargetKind, string> = {
  'bare-relay': 'bare relay',
  'durable-relay': 'durable relay',
  'im-chat': 'im-chat (SQLite)',
  'im-chat-scaled': 'im-chat (PostgreSQL + Redis, 2 processes)',
};

const modules: Record<TargetKind, string> = {
  'bare-relay': 'test/bench/bare-relay.ts',
  'durable-relay': 'test/bench/durable-relay.ts',
  'im-chat': 'test/bench/im-chat-server.ts',
  'im-chat-scaled': 'test/bench/im-chat-server.ts',
};

/** High enough never to throttle the load; the reports say so. */
export const benchRateLimit = { capacity: 1_000_000, refillPerSecond: 1_000_000 };

const startupMs = 30_000;
const questionMs = 10_000;
const stopGraceMs = 10_000;

export interface TargetOptions {
  secretHex: string;
  /** Count storage statements (for the `statements` question). */
  countStatements?: boolean;
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
}

/** The running processes of one target. */
export class RunningTarget {
  constructor(
    readonly kind: TargetKind,
    readonly processes: ChildHandle<FromTarget, ToTarget>[],
    readonly urls: string[],
  ) {}

  get name(): string {
    return targetNames[this.kind];
  }

  async usage(): Promise<UsageSample[]> {
    return Promise.all(
      this.processes.map(async (child) => {
        child.send({ type: 'usage' });
        return (await child.receive('usage', questionMs)).usage;
      }),
    );
  }

  /** Summed over the processes. */
  async memory(): Promise<MemorySample> {
    const samples = await Promise.all(
      this.processes.map(async (child) => {
        child.send({ type: 'memory' });
        return (await child.receive('memory', questionMs)).memory;
      }),
    );
    return {
      rssBytes: samples.reduce((sum, sample) => sum + sample.rssBytes, 0),
      heapUsedBytes: samples.reduce((sum, sample) => sum + sample.heapUsedBytes, 0),
    };
  }

  /** Summed over the processes. */
  async statements(): Promise<StatementCount> {
    const counts = await Promise.all(
      this.processes.map(async (child) => {
        child.send({ type: 'statements' });
        return (await child.receive('statements', questionMs)).count;
      }),
    );
    return {
      statements: counts.reduce((sum, count) => sum + count.statements, 0),
      transactions: counts.reduce((sum, count) => sum + count.transactions, 0),
    };
  }
}

/** Whether the scaled target can run here; says why not on stderr. */
export async function scaledTargetAvailable(): Promise<boolean> {
  const { available } = await probeServices(['postgres', 'redis']);
  return available;
}

/**
 * Starts the target's processes on fresh data, runs `work` against them, stops them and
 * removes their data, whatever `work` does.
 */
export async function withTarget<T>(
  kind: TargetKind,
  options: TargetOptions,
  cleanup: Cleanup,
  work: (target: RunningTarget) => Promise<T>,
): Promise<T> {
  console.error(`bench: ${targetNames[kind]}: starting`);
  const undo: (() => Promise<void>)[] = [];
  try {
    const dataDir = await createTempDir('im-chat-bench-');
    undo.push(cleanup.add(() => dataDir.remove()));
    const config: TargetConfig = {
      secretHex: options.secretHex,
      dataDir: dataDir.path,
      rateLimit: benchRateLimit,
      countStatements: options.countStatements ?? false,
    };
    if (kind === 'im-chat-scaled') {
      const schema = await createTestSchema();
      undo.push(cleanup.add(() => schema.drop()));
      const prefix = createRedisPrefix();
      undo.push(cleanup.add(() => prefix.clear()));
      config.postgres = { url: databaseUrl, schema: schema.schema };
      config.redis = { url: redisUrl, prefix: prefix.prefix };
    }
    const processes: ChildHandle<FromTarget, ToTarget>[] = [];
    const urls: string[] = [];
    // One after the other: the first one migrates the schema.
    for (let index = 0; index < (kind === 'im-chat-scaled' ? 2 : 1); index++) {
      const child = new ChildHandle<FromTarget, ToTarget>(`${targetNames[kind]} #${index + 1}`, modules[kind], {
        env: configEnv(config),
        nodeArgs: ['--expose-gc', ...(options.nodeArgs ?? [])],
      });
      undo.push(cleanup.add(() => child.stop(stopGraceMs, { type: 'stop' })));
      const { port } = await child.receive('listening', startupMs);
      processes.push(child);
      urls.push(`http://127.0.0.1:${port}`);
    }
    return await work(new RunningTarget(kind, processes, urls));
  } finally {
    for (const step of undo.reverse()) await step();
  }
}
