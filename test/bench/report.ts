import { cpus, loadavg } from 'node:os';
import type { RateLimitOptions } from '../../src/server/rate-limit.js';
import type { LoadResult } from './ledger.js';
import type { BenchOptions } from './options.js';
import type { Percentiles } from './percentiles.js';

export interface TargetResult extends LoadResult {
  /** The target process while measuring: CPU (share of one core), event loop busy, CPU per message. */
  server: { cpuPercent: number; eventLoopPercent: number; cpuMicrosPerMessage: number };
}

/** Everything one run found; printed as a table and as one line of JSON. */
export interface BenchReport {
  machine: { cpus: number; cpuModel: string; node: string; loadAverage1m: number };
  settings: {
    clients: number;
    pairs: number;
    window: number;
    warmupSeconds: number;
    seconds: number;
    textLength: number;
    transport: 'websocket';
    host: '127.0.0.1';
    imChatRateLimit: RateLimitOptions;
    imChatStorage: 'SQLite, WAL, synchronous = FULL';
    scaledStorage: 'PostgreSQL (synchronous_commit on) + Redis, 2 processes, each pair split across them';
  };
  bare: TargetResult;
  imChat: TargetResult;
  /** im-chat on PostgreSQL + Redis, two processes; null when they cannot be reached. */
  scaled: TargetResult | null;
  /** im-chat / bare: above 1 is more messages, more latency, more CPU per message. */
  ratios: Ratios;
  scaledRatios: Ratios | null;
  /** The goal: im-chat reaches at least this share of the bare relay's messages/s. */
  throughputGoal: { ratio: number; met: boolean };
}

interface Ratios {
  messagesPerSecond: number;
  deliveryP50: number;
  deliveryP99: number;
  serverCpuPerMessage: number;
}

const throughputGoalRatio = 0.8;
/** A generator whose event loop is this busy cannot push any harder. */
const saturatedPercent = 90;

export function buildReport(input: {
  options: BenchOptions;
  textLength: number;
  rateLimit: RateLimitOptions;
  loadAverage1m: number;
  bare: TargetResult;
  imChat: TargetResult;
  scaled: TargetResult | null;
}): BenchReport {
  const { options, bare, imChat, scaled } = input;
  const ratios = ratiosOf(imChat, bare);
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
      textLength: input.textLength,
      transport: 'websocket',
      host: '127.0.0.1',
      imChatRateLimit: input.rateLimit,
      imChatStorage: 'SQLite, WAL, synchronous = FULL',
      scaledStorage: 'PostgreSQL (synchronous_commit on) + Redis, 2 processes, each pair split across them',
    },
    bare: rounded(bare),
    imChat: rounded(imChat),
    scaled: scaled && rounded(scaled),
    ratios,
    scaledRatios: scaled && ratiosOf(scaled, bare),
    throughputGoal: { ratio: throughputGoalRatio, met: ratios.messagesPerSecond >= throughputGoalRatio },
  };
}

function ratiosOf(result: TargetResult, bare: TargetResult): Ratios {
  return {
    messagesPerSecond: round(result.messagesPerSecond / bare.messagesPerSecond, 3),
    deliveryP50: round(result.deliveryLatencyMs.p50 / bare.deliveryLatencyMs.p50, 3),
    deliveryP99: round(result.deliveryLatencyMs.p99 / bare.deliveryLatencyMs.p99, 3),
    serverCpuPerMessage: round(result.server.cpuMicrosPerMessage / bare.server.cpuMicrosPerMessage, 3),
  };
}

/** The 1-minute load average now; taken before the run, since the run itself adds load. */
export function currentLoadAverage(): number {
  return loadavg()[0] ?? 0;
}

export function formatReport(report: BenchReport): string {
  const { machine, settings, bare, imChat, scaled, ratios, scaledRatios } = report;
  const results = [bare, imChat, ...(scaled ? [scaled] : [])];
  const all = (show: (result: TargetResult) => string) => results.map(show);
  const ratioCells = (pick: (r: Ratios) => number) => [
    times(pick(ratios)),
    ...(scaledRatios ? [times(pick(scaledRatios))] : []),
  ];
  const blanks = ratioCells(() => Number.NaN).map(() => '');
  const header = ['', 'bare relay', 'im-chat', ...(scaled ? ['scaled'] : []), 'im-chat/bare', ...(scaled ? ['scaled/bare'] : [])];
  const rows: string[][] = [
    header,
    ['messages/s (acknowledged)', ...all((r) => count(r.messagesPerSecond)), ...ratioCells((r) => r.messagesPerSecond)],
    ...latencyRows(results, 'delivery latency', ['p50', 'p95', 'p99', 'max'], (r) => r.deliveryLatencyMs),
    ...latencyRows(results, 'ack latency', ['p50', 'p99'], (r) => r.ackLatencyMs),
    ['server CPU (% of one core)', ...all((r) => fixed(r.server.cpuPercent, 0)), ...blanks],
    [
      'server CPU per message (µs)',
      ...all((r) => fixed(r.server.cpuMicrosPerMessage, 1)),
      ...ratioCells((r) => r.serverCpuPerMessage),
    ],
    ['server event loop busy (%)', ...all((r) => fixed(r.server.eventLoopPercent, 0)), ...blanks],
    ['generator CPU (% of one core)', ...all((r) => fixed(r.generator.cpuPercent, 0)), ...blanks],
    ['generator event loop busy (%)', ...all((r) => fixed(r.generator.eventLoopPercent, 0)), ...blanks],
    ['errors', ...all((r) => errorText(r.errors)), ...blanks],
    ['delivered exactly once', ...all(deliveryText), ...blanks],
  ];
  const { imChatRateLimit: rateLimit } = settings;
  const goal = report.throughputGoal;
  return [
    `im-chat messaging benchmark: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ` +
      `load average ${machine.loadAverage1m} before the run`,
    `${settings.clients} clients (${settings.pairs} pairs) over ${settings.transport} to ${settings.host}, ` +
      `${settings.window} message(s) in flight per client, ${settings.textLength}-character texts, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.seconds} s measured`,
    `im-chat: ${settings.imChatStorage}; per-socket rate limit raised to ${rateLimit.capacity} burst, ` +
      `${rateLimit.refillPerSecond}/s (default 40 burst, 20/s) so that it does not throttle`,
    scaled
      ? `scaled: im-chat on ${settings.scaledStorage}; server figures add up both processes`
      : 'scaled: skipped (PostgreSQL or Redis not reachable)',
    '',
    table(rows),
    '',
    `Goal: im-chat ≥ ${goal.ratio}× the bare relay's messages/s: ${times(ratios.messagesPerSecond)}, ` +
      `${goal.met ? 'met' : 'NOT met'}.`,
    "Closed loop: latency here is mostly queueing (≈ clients × window ÷ messages/s), not an idle server's.",
    ...saturationNotes(report),
    ...(machine.loadAverage1m >= machine.cpus / 2
      ? [
          `Note: the machine was already busy (load average ${machine.loadAverage1m} on ${machine.cpus} CPUs): ` +
            'messages/s swings from run to run; server CPU per message is the steadier comparison.',
        ]
      : []),
  ].join('\n');
}

/** Messages lost or duplicated: the run measured something broken. */
export function deliveryFailed(result: TargetResult): boolean {
  const { missing, duplicated, misrouted, unknown } = result.delivery;
  return missing + duplicated + misrouted + unknown > 0;
}

/** One row per percentile: each target's figure, then each one's ratio to the first (bare). */
function latencyRows(
  results: readonly TargetResult[],
  name: string,
  keys: readonly (keyof Omit<Percentiles, 'count'>)[],
  pick: (result: TargetResult) => Percentiles,
): string[][] {
  const [bare, ...others] = results;
  return keys.map((key) => [
    `${name} ${key} (ms)`,
    ...results.map((result) => fixed(pick(result)[key], 1)),
    ...others.map((result) => (key === 'max' ? '' : times(pick(result)[key] / pick(bare!)[key]))),
  ]);
}

/** A busy generator cannot push harder: the server it drove may have had capacity left. */
function saturationNotes({ bare, imChat, scaled }: BenchReport): string[] {
  const targets: [string, TargetResult][] = [
    ['bare relay', bare],
    ['im-chat server', imChat],
    ...(scaled ? [['scaled im-chat servers', scaled] as [string, TargetResult]] : []),
  ];
  return targets
    .filter(([, result]) => result.generator.eventLoopPercent >= saturatedPercent)
    .map(
      ([name, result]) =>
        `Note: the load generator was saturated while driving the ${name} (event loop ` +
        `${fixed(result.generator.eventLoopPercent, 0)}% busy): ` +
        "its messages/s may be below the server's capacity.",
    );
}

function errorText(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  if (entries.length === 0) return 'none';
  return entries.map(([kind, number]) => `${kind} ${number}`).join(', ');
}

function deliveryText({ delivery }: TargetResult): string {
  const { acknowledged, missing, duplicated, misrouted, unknown } = delivery;
  if (missing + duplicated + misrouted + unknown === 0) return `yes, all ${count(acknowledged)}`;
  return (
    `NO: ${missing} missing, ${duplicated} duplicated, ${misrouted} misrouted, ` +
    `${unknown} unknown, of ${count(acknowledged)}`
  );
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
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
