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
  };
  bare: TargetResult;
  imChat: TargetResult;
  /** im-chat / bare: above 1 is more messages, more latency, more CPU per message. */
  ratios: {
    messagesPerSecond: number;
    deliveryP50: number;
    deliveryP99: number;
    serverCpuPerMessage: number;
  };
  /** The goal: im-chat reaches at least this share of the bare relay's messages/s. */
  throughputGoal: { ratio: number; met: boolean };
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
}): BenchReport {
  const { options, bare, imChat } = input;
  const messagesPerSecond = round(imChat.messagesPerSecond / bare.messagesPerSecond, 3);
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
    },
    bare: rounded(bare),
    imChat: rounded(imChat),
    ratios: {
      messagesPerSecond,
      deliveryP50: round(imChat.deliveryLatencyMs.p50 / bare.deliveryLatencyMs.p50, 3),
      deliveryP99: round(imChat.deliveryLatencyMs.p99 / bare.deliveryLatencyMs.p99, 3),
      serverCpuPerMessage: round(imChat.server.cpuMicrosPerMessage / bare.server.cpuMicrosPerMessage, 3),
    },
    throughputGoal: { ratio: throughputGoalRatio, met: messagesPerSecond >= throughputGoalRatio },
  };
}

/** The 1-minute load average now; taken before the run, since the run itself adds load. */
export function currentLoadAverage(): number {
  return loadavg()[0] ?? 0;
}

export function formatReport(report: BenchReport): string {
  const { machine, settings, bare, imChat, ratios } = report;
  const both = (show: (result: TargetResult) => string) => [show(bare), show(imChat)];
  const rows: string[][] = [
    ['', 'bare relay', 'im-chat', 'im-chat/bare'],
    [
      'messages/s (acknowledged)',
      ...both((r) => count(r.messagesPerSecond)),
      times(ratios.messagesPerSecond),
    ],
    ...latencyRows(report, 'delivery latency', ['p50', 'p95', 'p99', 'max'], (r) => r.deliveryLatencyMs),
    ...latencyRows(report, 'ack latency', ['p50', 'p99'], (r) => r.ackLatencyMs),
    ['server CPU (% of one core)', ...both((r) => fixed(r.server.cpuPercent, 0)), ''],
    [
      'server CPU per message (µs)',
      ...both((r) => fixed(r.server.cpuMicrosPerMessage, 1)),
      times(ratios.serverCpuPerMessage),
    ],
    ['server event loop busy (%)', ...both((r) => fixed(r.server.eventLoopPercent, 0)), ''],
    ['generator CPU (% of one core)', ...both((r) => fixed(r.generator.cpuPercent, 0)), ''],
    ['generator event loop busy (%)', ...both((r) => fixed(r.generator.eventLoopPercent, 0)), ''],
    ['errors', ...both((r) => errorText(r.errors)), ''],
    ['delivered exactly once', ...both(deliveryText), ''],
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

function latencyRows(
  { bare, imChat }: BenchReport,
  name: string,
  keys: readonly (keyof Omit<Percentiles, 'count'>)[],
  pick: (result: TargetResult) => Percentiles,
): string[][] {
  return keys.map((key) => [
    `${name} ${key} (ms)`,
    fixed(pick(bare)[key], 1),
    fixed(pick(imChat)[key], 1),
    key === 'max' ? '' : times(pick(imChat)[key] / pick(bare)[key]),
  ]);
}

/** A busy generator cannot push harder: the server it drove may have had capacity left. */
function saturationNotes({ bare, imChat }: BenchReport): string[] {
  const targets: [string, TargetResult][] = [
    ['bare relay', bare],
    ['im-chat server', imChat],
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
