/**
 * Group fan-out and connections: a group of 1,000 and of 10,000 connected members, one
 * message at a time from its owner. Figures: time until the last member has it, the
 * database statements and write transactions per message (they must not grow with the
 * group), and the server's memory per connected client; im-chat against the bare relay,
 * each server in its own process, the clients in another.
 */
import { randomBytes } from 'node:crypto';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import type { FanoutConfig, FromFanout, ToFanout } from './fanout-generator.js';
import { configEnv } from './ipc.js';
import { percentiles } from './percentiles.js';
import { withTarget, type TargetKind } from './targets.js';

export interface FanoutOptions {
  /** Group sizes, connections included. */
  sizes: number[];
  /** Messages sent to each group; the report gives medians. */
  sends: number;
}

export interface FanoutFigures {
  /** Median, from the send to the last member's `message:new` (ms). */
  lastMemberMs: number;
  /** Median, from the send to its ack (ms). */
  ackMs: number;
  statementsPerMessage: number;
  transactionsPerMessage: number;
  /** Server memory added per connected client (bytes), after garbage collection. */
  heapPerConnection: number;
  rssPerConnection: number;
}

export interface FanoutReport {
  options: FanoutOptions;
  sizes: { members: number; bare: FanoutFigures; imChat: FanoutFigures }[];
}

const connectMs = 600_000;
const groupMs = 300_000;
const sendMs = 300_000;
const stopGraceMs = 10_000;

export async function benchFanout(options: FanoutOptions, cleanup: Cleanup): Promise<FanoutReport> {
  const secretHex = randomBytes(32).toString('hex');
  const sizes: FanoutReport['sizes'] = [];
  for (const members of options.sizes) {
    const run = (kind: TargetKind) =>
      withTarget(kind, { secretHex, countStatements: true }, cleanup, async (target) => {
        console.error(`bench: fan-out: ${target.name}: ${members} members`);
        const idle = await target.memory();
        const config: FanoutConfig = { url: target.urls[0]!, secretHex, members, sends: options.sends };
        const clients = new ChildHandle<FromFanout, ToFanout>('fan-out clients', 'test/bench/fanout-generator.ts', {
          env: configEnv(config),
        });
        const stopClients = cleanup.add(() => clients.stop(stopGraceMs, { type: 'stop' }));
        try {
          await clients.receive('connected', connectMs);
          const connected = await target.memory();
          clients.send({ type: 'group' });
          await clients.receive('grouped', groupMs);
          const before = await target.statements();
          clients.send({ type: 'send' });
          const sent = await clients.receive('sent', sendMs);
          const after = await target.statements();
          return {
            lastMemberMs: percentiles(sent.lastMemberMs).p50,
            ackMs: percentiles(sent.ackMs).p50,
            statementsPerMessage: (after.statements - before.statements) / options.sends,
            transactionsPerMessage: (after.transactions - before.transactions) / options.sends,
            heapPerConnection: (connected.heapUsedBytes - idle.heapUsedBytes) / members,
            rssPerConnection: (connected.rssBytes - idle.rssBytes) / members,
          };
        } finally {
          await stopClients();
        }
      });
    sizes.push({ members, bare: await run('bare-relay'), imChat: await run('im-chat') });
  }
  return { options, sizes };
}

export function formatFanout({ options, sizes }: FanoutReport): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const rows: [string, (figures: FanoutFigures) => number, (value: number) => string, boolean][] = [
    ['to the last member, median (ms)', (f) => f.lastMemberMs, (v) => v.toFixed(1), true],
    ['ack, median (ms)', (f) => f.ackMs, (v) => v.toFixed(1), true],
    ['statements per message', (f) => f.statementsPerMessage, (v) => v.toFixed(1), false],
    ['write transactions per message', (f) => f.transactionsPerMessage, (v) => v.toFixed(1), false],
    ['memory per connection, heap (KB)', (f) => f.heapPerConnection, kb, true],
    ['memory per connection, RSS (KB)', (f) => f.rssPerConnection, kb, true],
  ];
  const lines = [
    `Group fan-out: one message at a time from the owner, ${options.sends} per group, every member connected over WebSocket; im-chat on SQLite`,
    '',
    '| members | figure                           | bare relay |  im-chat | im-chat / bare |',
    '| ------: | -------------------------------- | ---------: | -------: | -------------: |',
  ];
  for (const { members, bare, imChat } of sizes) {
    for (const [label, pick, show, compare] of rows) {
      const ratio = compare ? `${(pick(imChat) / pick(bare)).toFixed(2)}×` : '';
      lines.push(
        `| ${members.toLocaleString('en-US').padStart(7)} | ${label.padEnd(32)} | ${show(pick(bare)).padStart(10)} | ` +
          `${show(pick(imChat)).padStart(8)} | ${ratio.padStart(14)} |`,
      );
    }
  }
  return lines.join('\n');
}
