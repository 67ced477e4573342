/**
 * `npm run bench`: messages/s and delivery latency through the im-chat server against a
 * bare socket.io relay, with the same load generator, in one run, on loopback. Each target
 * runs in its own process and the generator in another, so their CPU costs stay apart.
 * Then uploads through the server against a bare HTTP sink (upload-bench.ts), and the
 * client: a long conversation opened in the message list (message-list-bench.ts).
 * `--only server` or `--only client` runs one part. The report goes to stdout (tables,
 * then one line of JSON); progress goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createTempDir } from '../support/node/temp-dir.js';
import { messageText } from './bench-client.js';
import { ChildHandle } from './child-process.js';
import { Cleanup } from './cleanup.js';
import {
  configEnv,
  usageBetween,
  type FromGenerator,
  type FromTarget,
  type ToGenerator,
  type ToTarget,
  type UsageSample,
} from './ipc.js';
import { OptionsError, readOptions, usage, type BenchOptions } from './options.js';
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

interface Target {
  key: string;
  name: string;
  module: string;
}

const bareRelay: Target = {
  key: 'bare-relay',
  name: 'bare relay',
  module: 'test/bench/bare-relay.ts',
};
const imChatServer: Target = {
  key: 'im-chat',
  name: 'im-chat server',
  module: 'test/bench/im-chat-server.ts',
};

/** High enough never to throttle the load; the report says so. */
const benchRateLimit = { capacity: 1_000_000, refillPerSecond: 1_000_000 };

const startupMs = 30_000;
/** Connecting every client and starting every conversation. */
const setupMs = 120_000;
/** The generator's drain, plus margin. */
const resultMs = 30_000;
const usageMs = 5_000;
const stopGraceMs = 10_000;

const cleanup = new Cleanup();
let interrupted = false;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  const server = options.only === 'client' ? null : await benchServer(options);
  const uploads =
    options.only === 'client'
      ? null
      : await benchUploads({ files: options.uploadFiles, megabytes: options.uploadMegabytes, concurrency: 4 }, cleanup);
  const messageList =
    options.only === 'server'
      ? null
      : await benchMessageList({ messages: options.listMessages, runs: options.listRuns }, cleanup);
  const sections = [server && formatReport(server), uploads && formatUploads(uploads), messageList && formatMessageList(messageList)];
  console.log(sections.filter(Boolean).join('\n\n'));
  console.log(JSON.stringify({ ...server, ...(uploads && { uploads }), ...(messageList && { messageList }) }));
  if (server && (deliveryFailed(server.bare) || deliveryFailed(server.imChat))) {
    console.error('Acknowledged messages were lost or duplicated: see "delivered exactly once".');
    process.exitCode = 1;
  }
}

/** Messages/s and latency through the im-chat server against the bare relay. */
async function benchServer(options: BenchOptions): Promise<BenchReport> {
  const secretHex = randomBytes(32).toString('hex');
  const loadAverage1m = currentLoadAverage();
  const bare = await benchTarget(bareRelay, options, secretHex);
  const imChat = await benchTarget(imChatServer, options, secretHex);
  return buildReport({
    options,
    textLength: messageText.length,
    rateLimit: benchRateLimit,
    loadAverage1m,
    bare,
    imChat,
  });
}

/** Starts the target in its own process on a fresh data dir, measures it, stops it. */
async function benchTarget(
  target: Target,
  options: BenchOptions,
  secretHex: string,
): Promise<TargetResult> {
  console.error(`bench: ${target.name}: starting`);
  const dataDir = await createTempDir('im-chat-bench-');
  const removeDataDir = cleanup.add(() => dataDir.remove());
  try {
    const server = new ChildHandle<FromTarget, ToTarget>(target.name, target.module, {
      env: configEnv({ secretHex, dataDir: dataDir.path, rateLimit: benchRateLimit }),
      nodeArgs: profileArgs(target, options.cpuProfileDir),
    });
    const stopServer = cleanup.add(() => server.stop(stopGraceMs, { type: 'stop' }));
    try {
      const { port } = await server.receive('listening', startupMs);
      return await measure(server, `http://127.0.0.1:${port}`, options, secretHex);
    } finally {
      await stopServer();
    }
  } finally {
    await removeDataDir();
  }
}

async function measure(
  server: ChildHandle<FromTarget, ToTarget>,
  url: string,
  options: BenchOptions,
  secretHex: string,
): Promise<TargetResult> {
  const { clients, seconds, warmupSeconds, window } = options;
  const generator = new ChildHandle<FromGenerator, ToGenerator>(
    'load generator',
    'test/bench/load-generator.ts',
    { env: configEnv({ url, secretHex, clients, seconds, warmupSeconds, window }) },
  );
  const stopGenerator = cleanup.add(() => generator.stop(stopGraceMs, { type: 'stop' }));
  try {
    await generator.receive('measuring', setupMs + warmupSeconds * 1000);
    console.error(`bench: ${server.name}: measuring for ${seconds} s`);
    const start = await usageOf(server);
    await generator.receive('measured', seconds * 1000 + resultMs);
    const end = await usageOf(server);
    const { result } = await generator.receive('result', resultMs);
    const usage = usageBetween(start, end);
    const cpuMicrosPerMessage = (usage.cpuPercent * 1e4) / result.messagesPerSecond;
    return { ...result, server: { ...usage, cpuMicrosPerMessage } };
  } finally {
    await stopGenerator();
  }
}

async function usageOf(server: ChildHandle<FromTarget, ToTarget>): Promise<UsageSample> {
  server.send({ type: 'usage' });
  return (await server.receive('usage', usageMs)).usage;
}

/** One profile per thread (tsx's loader runs in a worker): the main thread's is `CPU.*.<pid>.0.*`. */
function profileArgs(target: Target, directory: string | null): string[] {
  if (directory === null) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${resolve(directory, target.key)}`];
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
