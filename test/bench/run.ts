/**
 * `npm run bench`: messages/s and delivery latency through the im-chat server against a
 * bare socket.io relay, with the same load generator, in one run, on loopback. Each target
 * runs in its own process and the generator in another, so their CPU costs stay apart.
 * Then uploads through the server against a bare HTTP sink (upload-bench.ts), group
 * fan-out and memory per connection (fanout-bench.ts), reconnect catch-up
 * (catch-up-bench.ts), and the client: bundle sizes (bundle-bench.ts) and a long
 * conversation opened in the message list (message-list-bench.ts). `--only server`,
 * `--only client` or a list of sections runs those. The report goes to stdout (tables,
 * then one line of JSON); progress goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { messageText } from './bench-client.js';
import { ChildHandle } from './child-process.js';
import { Cleanup } from './cleanup.js';
import { configEnv, usageBetween, type FromGenerator, type ToGenerator } from './ipc.js';
import { benchBundles, formatBundles } from './bundle-bench.js';
import { benchCatchUp, formatCatchUp } from './catch-up-bench.js';
import { benchFanout, formatFanout } from './fanout-bench.js';
import { OptionsError, readOptions, usage, type BenchOptions, type BenchSection } from './options.js';
import { benchMessageList, formatMessageList } from './message-list-bench.js';
import { benchUploads, formatUploads } from './upload-bench.js';
import {
  buildReport,
  currentLoadAverage,
  deliveryFailed,
  formatReport,
  type BenchReport,
  type TargetResult,
} from './report.js';
import {
  benchRateLimit,
  scaledTargetAvailable,
  withTarget,
  type RunningTarget,
  type TargetKind,
} from './targets.js';

const setupMs = 120_000;
/** The generator's drain, plus margin. */
const resultMs = 30_000;
const stopGraceMs = 10_000;

const cleanup = new Cleanup();
let interrupted = false;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  const runs = (section: BenchSection) => options.only === null || options.only.has(section);
  const server = runs('messaging') ? await benchServer(options) : null;
  const uploads = runs('uploads')
    ? await benchUploads({ files: options.uploadFiles, megabytes: options.uploadMegabytes, concurrency: 4 }, cleanup)
    : null;
  const fanout = runs('fanout')
    ? await benchFanout({ sizes: options.fanoutSizes, sends: options.fanoutSends }, cleanup)
    : null;
  const catchUp = runs('catch-up')
    ? await benchCatchUp({ messages: options.catchUpMessages, conversations: options.catchUpConversations }, cleanup)
    : null;
  const bundles = runs('bundles') ? await benchBundles() : null;
  const messageList = runs('list')
    ? await benchMessageList({ messages: options.listMessages, runs: options.listRuns }, cleanup)
    : null;
  const sections = [
    server && formatReport(server),
    uploads && formatUploads(uploads),
    fanout && formatFanout(fanout),
    catchUp && formatCatchUp(catchUp),
    bundles && formatBundles(bundles),
    messageList && formatMessageList(messageList),
  ];
  console.log(sections.filter(Boolean).join('\n\n'));
  console.log(
    JSON.stringify({
      ...server,
      ...(uploads && { uploads }),
      ...(fanout && { fanout }),
      ...(catchUp && { catchUp }),
      ...(bundles && { bundles }),
      ...(messageList && { messageList }),
    }),
  );
  const results = server ? [server.bare, server.imChat, ...(server.scaled ? [server.scaled] : [])] : [];
  if (results.some(deliveryFailed)) {
    console.error('Acknowledged messages were lost or duplicated: see "delivered exactly once".');
    process.exitCode = 1;
  }
}

/**
 * Messages/s and latency through im-chat on SQLite, and on PostgreSQL + Redis with two
 * processes (when they can be reached), against the bare relay.
 */
async function benchServer(options: BenchOptions): Promise<BenchReport> {
  const secretHex = randomBytes(32).toString('hex');
  const loadAverage1m = currentLoadAverage();
  const run = (kind: TargetKind) =>
    withTarget(kind, { secretHex, nodeArgs: profileArgs(kind, options.cpuProfileDir) }, cleanup, (target) =>
      measure(target, options, secretHex),
    );
  const bare = await run('bare-relay');
  const imChat = await run('im-chat');
  const scaled = (await scaledTargetAvailable()) ? await run('im-chat-scaled') : null;
  return buildReport({
    options,
    textLength: messageText.length,
    rateLimit: benchRateLimit,
    loadAverage1m,
    bare,
    imChat,
    scaled,
  });
}

async function measure(target: RunningTarget, options: BenchOptions, secretHex: string): Promise<TargetResult> {
  const { clients, seconds, warmupSeconds, window } = options;
  const generator = new ChildHandle<FromGenerator, ToGenerator>(
    'load generator',
    'test/bench/load-generator.ts',
    { env: configEnv({ urls: target.urls, secretHex, clients, seconds, warmupSeconds, window }) },
  );
  const stopGenerator = cleanup.add(() => generator.stop(stopGraceMs, { type: 'stop' }));
  try {
    await generator.receive('measuring', setupMs + warmupSeconds * 1000);
    console.error(`bench: ${target.name}: measuring for ${seconds} s`);
    const start = await target.usage();
    await generator.receive('measured', seconds * 1000 + resultMs);
    const end = await target.usage();
    const { result } = await generator.receive('result', resultMs);
    // Every process of the target together: CPU adds up, the busiest event loop counts.
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

process.once('SIGINT', () => {
  interrupted = true;
  console.error('\nbench: interrupted: stopping child processes, removing temp dirs');
  void cleanup.runAll().finally(() => process.exit(130));
});

main()
  .catch((error: unknown) => {
    if (error instanceof OptionsError) console.error(`bench: ${error.message}\n${usage}`);
    else if (!interrupted) console.error('bench failed:', error);
    process.exitCode = 1;
  })
  .finally(() => cleanup.runAll());
