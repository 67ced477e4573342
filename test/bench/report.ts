import { cpus, loadavg } from 'node:os';
import type { RateLimitOptions } from '../../src/server/rate-limit.js';
import type { DeliveryCheck, LoadResult } from './ledger.js';
import type { BenchOptions } from './options.js';
import { formatSpread, roundSpread, spreadOf, type Spread } from './spread.js';
import { targetNames, type TargetKind } from './targets.js';

export interface TargetResult extends LoadResult {
  /** The target's processes while measuring: CPU (share of one core), event loop busy, CPU per message. */
  server: { cpuPercent: number; eventLoopPercent: number; cpuMicrosPerMessage: number };
}

/** One target over every round: the median of each figure and its range. */
export interface TargetSummary {
  kind: TargetKind;
  name: string;
  messagesPerSecond: Spread;
  deliveryP50Ms: Spread;
  deliveryP99Ms: Spread;
  ackP50Ms: Spread;
  ackP99Ms: Spread;
  serverCpuPercent: Spread;
  serverCpuMicrosPerMessage: Spread;
  serverEventLoopPercent: Spread;
  generatorEventLoopPercent: Spread;
  /** Added up over the rounds. */
  errors: Record<string, number>;
  delivery: DeliveryCheck;
  rounds: TargetResult[];
}

/** `target` against `baseline`, round by round (the same round ran them back to back). */
export interface TargetRatios {
  target: TargetKind;
  baseline: TargetKind;
  messagesPerSecond: Spread;
  deliveryP50: Spread;
  deliveryP99: Spread;
  serverCpuPerMessage: Spread;
}

interface Goal {
  description: string;
  limit: number;
  /** The median of the per-round ratios. */
  value: number;
  met: boolean;
}

/** Everything the messaging section found; printed as tables and as JSON. */
export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; loadAverage1m: number };
  settings: {
    clients: number;
    pairs: number;
    window: number;
    warmupSeconds: number;
    seconds: number;
    rounds: number;
    textLength: number;
    transport: 'websocket';
    host: '127.0.0.1';
    imChatRateLimit: RateLimitOptions;
    storage: 'SQLite, WAL, synchronous = FULL';
    scaledStorage: 'PostgreSQL (synchronous_commit on) + Redis, 2 processes, each pair split across them';
  };
  /** Bare relay, durable relay, im-chat on SQLite, then im-chat on PostgreSQL + Redis when it ran. */
  targets: TargetSummary[];
  scaledSkipped: boolean;
  ratios: TargetRatios[];
  goals: Goal[];
}

/** im-chat's messages/s against the bare relay's, and its CPU per message against the durable relay's. */
const throughputGoal = 0.5;
const cpuGoal = 1.2;
/** A generator whose event loop is this busy cannot push any harder. */
const saturatedPercent = 90;

export function buildReport(input: {
  options: BenchOptions;
  textLength: number;
  rateLimit: RateLimitOptions;
  loadAverage1m: number;
  rounds: ReadonlyMap<TargetKind, readonly TargetResult[]>;
  scaledSkipped: boolean;
}): BenchReport {
  const { options, rounds } = input;
  const targets = [...rounds].map(([kind, results]) => summarize(kind, results));
  const ratios: TargetRatios[] = [];
  for (const baseline of ['bare-relay', 'durable-relay'] as const) {
    const base = rounds.get(baseline);
    if (!base) continue;
    for (const [kind, results] of rounds) {
      if (kind === 'bare-relay' || kind === baseline) continue;
      ratios.push(ratiosOf(kind, results, baseline, base));
    }
  }
  const ratio = (target: TargetKind, baseline: TargetKind) =>
    ratios.find((one) => one.target === target && one.baseline === baseline);
  const goals: Goal[] = [];
  const throughput = ratio('im-chat', 'bare-relay')?.messagesPerSecond.median;
  if (throughput !== undefined) {
    goals.push({
      description: `im-chat (SQLite) messages/s ≥ ${throughputGoal}× the bare relay's`,
      limit: throughputGoal,
      value: throughput,
      met: throughput >= throughputGoal,
    });
  }
  const cpu = ratio('im-chat', 'durable-relay')?.serverCpuPerMessage.median;
  if (cpu !== undefined) {
    goals.push({
      description: `im-chat (SQLite) server CPU per message ≤ ${cpuGoal}× the durable relay's`,
      limit: cpuGoal,
      value: cpu,
      met: cpu <= cpuGoal,
    });
  }
  return {
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      loadAverage1m: round(input.loadAverage1m, 2),
    },
    settings: {
      clients: options.clients,
      pairs: options.clients / 2,
      window: options.window,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      rounds: options.rounds,
      textLength: input.textLength,
      transport: 'websocket',
      host: '127.0.0.1',
      imChatRateLimit: input.rateLimit,
      storage: 'SQLite, WAL, synchronous = FULL',
      scaledStorage: 'PostgreSQL (synchronous_commit on) + Redis, 2 processes, each pair split across them',
    },
    targets,
    scaledSkipped: input.scaledSkipped,
    ratios,
    goals,
  };
}

function summarize(kind: TargetKind, results: readonly TargetResult[]): TargetSummary {
  const of = (pick: (result: TargetResult) => number, digits: number) => roundSpread(spreadOf(results.map(pick)), digits);
  const errors: Record<string, number> = {};
  const delivery: DeliveryCheck = { acknowledged: 0, missing: 0, duplicated: 0, misrouted: 0, unknown: 0 };
  for (const result of results) {
    for (const [error, count] of Object.entries(result.errors)) errors[error] = (errors[error] ?? 0) + count;
    for (const key of Object.keys(delivery) as (keyof DeliveryCheck)[]) delivery[key] += result.delivery[key];
  }
  return {
    kind,
    name: targetNames[kind],
    messagesPerSecond: of((r) => r.messagesPerSecond, 0),
    deliveryP50Ms: of((r) => r.deliveryLatencyMs.p50, 2),
    deliveryP99Ms: of((r) => r.deliveryLatencyMs.p99, 2),
    ackP50Ms: of((r) => r.ackLatencyMs.p50, 2),
    ackP99Ms: of((r) => r.ackLatencyMs.p99, 2),
    serverCpuPercent: of((r) => r.server.cpuPercent, 1),
    serverCpuMicrosPerMessage: of((r) => r.server.cpuMicrosPerMessage, 1),
    serverEventLoopPercent: of((r) => r.server.eventLoopPercent, 1),
    generatorEventLoopPercent: of((r) => r.generator.eventLoopPercent, 1),
    errors,
    delivery,
    rounds: results.map(rounded),
  };
}

function ratiosOf(
  target: TargetKind,
  results: readonly TargetResult[],
  baseline: TargetKind,
  base: readonly TargetResult[],
): TargetRatios {
  const of = (pick: (result: TargetResult) => number) =>
    roundSpread(spreadOf(results.map((result, index) => pick(result) / pick(base[index]!))), 3);
  return {
    target,
    baseline,
    messagesPerSecond: of((r) => r.messagesPerSecond),
    deliveryP50: of((r) => r.deliveryLatencyMs.p50),
    deliveryP99: of((r) => r.deliveryLatencyMs.p99),
    serverCpuPerMessage: of((r) => r.server.cpuMicrosPerMessage),
  };
}

/** The 1-minute load average now; taken before the run, since the run itself adds load. */
export function currentLoadAverage(): number {
  return loadavg()[0] ?? 0;
}

/** Short column names: the full ones head the report. */
const columnNames: Record<TargetKind, string> = {
  'bare-relay': 'bare relay',
  'durable-relay': 'durable relay',
  'im-chat': 'im-chat SQLite',
  'im-chat-scaled': 'im-chat PG + Redis',
};

export function formatReport(report: BenchReport): string {
  const { machine, settings, targets } = report;
  const all = (show: (summary: TargetSummary) => string) => targets.map(show);
  const spreadRow = (label: string, pick: (summary: TargetSummary) => Spread, digits: number) => [
    label,
    ...all((summary) => formatSpread(pick(summary), (value) => fixed(value, digits))),
  ];
  const rows: string[][] = [
    ['', ...all((summary) => columnNames[summary.kind])],
    ['messages/s (acknowledged)', ...all((s) => formatSpread(s.messagesPerSecond, count))],
    spreadRow('delivery latency p50 (ms)', (s) => s.deliveryP50Ms, 1),
    spreadRow('delivery latency p99 (ms)', (s) => s.deliveryP99Ms, 1),
    spreadRow('ack latency p50 (ms)', (s) => s.ackP50Ms, 1),
    spreadRow('ack latency p99 (ms)', (s) => s.ackP99Ms, 1),
    spreadRow('server CPU per message (µs)', (s) => s.serverCpuMicrosPerMessage, 1),
    spreadRow('server CPU (% of one core)', (s) => s.serverCpuPercent, 0),
    spreadRow('server event loop busy (%)', (s) => s.serverEventLoopPercent, 0),
    spreadRow('generator event loop busy (%)', (s) => s.generatorEventLoopPercent, 0),
    ['errors', ...all((s) => errorText(s.errors))],
    ['delivered exactly once', ...all(deliveryText)],
  ];
  const ratioRows: string[][] = [
    ['', 'messages/s', 'delivery latency p50', 'delivery latency p99', 'server CPU per message'],
    ...report.ratios.map((r) => [
      `${columnNames[r.target]} / ${columnNames[r.baseline]}`,
      ...[r.messagesPerSecond, r.deliveryP50, r.deliveryP99, r.serverCpuPerMessage].map((spread) =>
        formatSpread(spread, times),
      ),
    ]),
  ];
  const { imChatRateLimit: rateLimit } = settings;
  return [
    `im-chat messaging benchmark: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ` +
      `load average ${machine.loadAverage1m} before the run`,
    `${settings.clients} clients (${settings.pairs} pairs) over ${settings.transport} to ${settings.host}, ` +
      `${settings.window} message(s) in flight per client, ${settings.textLength}-character texts; ` +
      `${settings.rounds} interleaved round(s) per target, each ${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured`,
    `durable relay: the bare relay plus the minimal store (${settings.storage}; dedupe, seq, row, ` +
      'trigram index, read position) on a worker thread, group commit, ack after commit',
    `im-chat: ${settings.storage}; per-socket rate limit raised to ${rateLimit.capacity} burst, ` +
      `${rateLimit.refillPerSecond}/s (default 40 burst, 20/s) so that it does not throttle`,
    report.scaledSkipped
      ? 'im-chat on PostgreSQL + Redis: skipped (PostgreSQL or Redis cannot be reached)'
      : `im-chat PG + Redis: im-chat on ${settings.scaledStorage}; server figures add up both processes`,
    'Each cell: the median over the rounds (lowest–highest). Ratios: round by round, then their median (range).',
    '',
    table(rows),
    '',
    table(ratioRows),
    '',
    ...report.goals.map(
      (goal) => `Goal: ${goal.description}: ${times(goal.value)}, ${goal.met ? 'met' : 'NOT met'}.`,
    ),
    "Closed loop: latency here is mostly queueing (≈ clients × window ÷ messages/s), not an idle server's.",
    'Server CPU counts every thread of the target (the storage threads too).',
    ...saturationNotes(report),
    ...(machine.loadAverage1m >= machine.cpus / 2
      ? [
          `Note: the machine was already busy (load average ${machine.loadAverage1m} on ${machine.cpus} CPUs): ` +
            'messages/s swings from run to run; server CPU per message is the steadier comparison.',
        ]
      : []),
  ].join('\n');
}

/** Messages lost or duplicated in some round: the run measured something broken. */
export function deliveryFailed(summary: TargetSummary): boolean {
  const { missing, duplicated, misrouted, unknown } = summary.delivery;
  return missing + duplicated + misrouted + unknown > 0;
}

/** A busy generator cannot push harder: the server it drove may have had capacity left. */
function saturationNotes({ targets }: BenchReport): string[] {
  return targets
    .filter((summary) => summary.generatorEventLoopPercent.median >= saturatedPercent)
    .map(
      (summary) =>
        `Note: the load generator was saturated while driving ${summary.name} (event loop ` +
        `${fixed(summary.generatorEventLoopPercent.median, 0)}% busy): ` +
        "its messages/s may be below the server's capacity.",
    );
}

function errorText(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return 'none';
  return entries.map(([kind, number]) => `${kind} ${number}`).join(', ');
}

function deliveryText({ delivery }: TargetSummary): string {
  const { acknowledged, missing, duplicated, misrouted, unknown } = delivery;
  if (missing + duplicated + misrouted + unknown === 0) return `yes, all ${count(acknowledged)}`;
  return (
    `NO: ${missing} missing, ${duplicated} duplicated, ${misrouted} misrouted, ` +
    `${unknown} unknown, of ${count(acknowledged)}`
  );
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('   '),
    )
    .join('\n');
}

function rounded(result: TargetResult): TargetResult {
  const { generator, server } = result;
  return {
    ...result,
    measuredSeconds: round(result.measuredSeconds, 3),
    messagesPerSecond: round(result.messagesPerSecond, 0),
    generator: {
      cpuPercent: round(generator.cpuPercent, 1),
      eventLoopPercent: round(generator.eventLoopPercent, 1),
    },
    server: {
      cpuPercent: round(server.cpuPercent, 1),
      eventLoopPercent: round(server.eventLoopPercent, 1),
      cpuMicrosPerMessage: round(server.cpuMicrosPerMessage, 1),
    },
  };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–');
