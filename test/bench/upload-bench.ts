/**
 * Upload throughput: the same files POSTed, a few at a time, to the im-chat server
 * (`/api/files`: JWT auth, membership, type sniffing, image size, blob store, record) and to
 * a bare HTTP sink that only writes them to disk the same way. Each server runs in its own
 * process; the uploads come from this one. Figures: MB/s and ms per file, and the ratio.
 */
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import type { Ack, StartConversationResult } from '../../src/protocol/index.js';
import { pngBytes } from '../support/node/images.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { mintToken } from '../support/node/tokens.js';
import { withTimeout } from '../support/node/wait.js';
import { ChildHandle } from './child-process.js';
import type { Cleanup } from './cleanup.js';
import { configEnv, type FromTarget, type ToTarget } from './ipc.js';
import { percentiles } from './percentiles.js';

export interface UploadBenchOptions {
  files: number;
  megabytes: number;
  concurrency: number;
}

export interface UploadFigures {
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface UploadReport {
  options: UploadBenchOptions;
  sink: UploadFigures;
  imChat: UploadFigures;
}

const startupMs = 30_000;
const uploadMs = 60_000;
const stopGraceMs = 10_000;
const rateLimit = { capacity: 1_000_000, refillPerSecond: 1_000_000 };

export async function benchUploads(options: UploadBenchOptions, cleanup: Cleanup): Promise<UploadReport> {
  // A real PNG (sniffed as one, with a size) padded to the wanted length.
  const image = pngBytes(64, 48);
  const body = Buffer.concat([image, randomBytes(Math.max(0, options.megabytes * 1024 * 1024 - image.length))]);
  const secretHex = randomBytes(32).toString('hex');
  const sink = await withTarget('upload sink', 'test/bench/upload-sink.ts', secretHex, cleanup, (url) =>
    uploadAll(options, body, () => ({ url: `${url}/upload`, headers: {} })),
  );
  const imChat = await withTarget('im-chat server', 'test/bench/im-chat-server.ts', secretHex, cleanup, async (url) => {
    const { token, conversationId } = await uploaderIn(url, secretHex);
    const target = `${url}/api/files?conversationId=${encodeURIComponent(conversationId)}&name=photo.png`;
    return uploadAll(options, body, () => ({ url: target, headers: { authorization: `Bearer ${token}` } }));
  });
  return { options, sink, imChat };
}

export function formatUploads({ options, sink, imChat }: UploadReport): string {
  const row = (label: string, a: number, b: number, digits: number) =>
    `| ${label.padEnd(26)} | ${a.toFixed(digits).padStart(10)} | ${b.toFixed(digits).padStart(8)} | ${(b / a).toFixed(2).padStart(10)}× |`;
  return [
    `Uploads: ${options.files} files of ${options.megabytes} MB, ${options.concurrency} at a time, over loopback HTTP`,
    '',
    '|                            |  bare sink |  im-chat | im-chat / sink |',
    '| -------------------------- | ---------: | -------: | -------------: |',
    row('MB/s', sink.megabytesPerSecond, imChat.megabytesPerSecond, 1),
    row('ms per file, p50', sink.p50Ms, imChat.p50Ms, 1),
    row('ms per file, p99', sink.p99Ms, imChat.p99Ms, 1),
  ].join('\n');
}

async function withTarget<T>(
  name: string,
  module: string,
  secretHex: string,
  cleanup: Cleanup,
  run: (url: string) => Promise<T>,
): Promise<T> {
  console.error(`bench: uploads: ${name}`);
  const dataDir = await createTempDir('im-chat-bench-uploads-');
  const removeDataDir = cleanup.add(() => dataDir.remove());
  try {
    const server = new ChildHandle<FromTarget, ToTarget>(name, module, {
      env: configEnv({ secretHex, dataDir: dataDir.path, rateLimit }),
    });
    const stopServer = cleanup.add(() => server.stop(stopGraceMs, { type: 'stop' }));
    try {
      const { port } = await server.receive('listening', startupMs);
      return await run(`http://127.0.0.1:${port}`);
    } finally {
      await stopServer();
    }
  } finally {
    await removeDataDir();
  }
}

/** An uploader with a single chat to upload to (both people sign in once so that they exist). */
async function uploaderIn(url: string, secretHex: string): Promise<{ token: string; conversationId: string }> {
  const secret = Buffer.from(secretHex, 'hex');
  const token = await mintToken(secret, { sub: 'uploader', name: 'Uploader' });
  const peerToken = await mintToken(secret, { sub: 'peer', name: 'Peer' });
  const connect = (auth: string) => {
    const socket = io(url, { auth: { token: auth }, transports: ['websocket'], reconnection: false });
    return withTimeout(new Promise<typeof socket>((resolve) => socket.once('session:ready', () => resolve(socket))), startupMs, 'the bench client to connect');
  };
  const [uploader, peer] = await Promise.all([connect(token), connect(peerToken)]);
  try {
    const ack = await withTimeout(
      new Promise<Ack<StartConversationResult>>((resolve) => uploader.emit('conversation:start', { userId: 'peer' }, resolve)),
      startupMs,
      'the conversation to start',
    );
    if (!ack.ok) throw new Error(`conversation:start failed: ${ack.error.message}`);
    return { token, conversationId: ack.data.conversation.id };
  } finally {
    uploader.close();
    peer.close();
  }
}

async function uploadAll(
  options: UploadBenchOptions,
  body: Buffer,
  request: () => { url: string; headers: Record<string, string> },
): Promise<UploadFigures> {
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.files) {
      next += 1;
      const { url, headers } = request();
      const begin = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body,
        signal: AbortSignal.timeout(uploadMs),
      });
      if (response.status !== 201 && response.status !== 200) {
        throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      }
      await response.arrayBuffer();
      durations.push(performance.now() - begin);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const { p50, p99 } = percentiles(durations);
  return { megabytesPerSecond: (options.files * body.length) / (1024 * 1024) / seconds, p50Ms: p50, p99Ms: p99 };
}
