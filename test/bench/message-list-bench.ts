/**
 * The client part of `npm run bench`: opening a long conversation from the cache in
 * headless Chromium, in the virtualized `<im-message-list>` and in a plain list that
 * renders every row (the baseline), measured in the same run, each in a fresh page.
 * The page is test/support/browser/message-list-bench-page.ts, bundled here with Vite.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../support/node/chromium.js';
import { createTempDir } from '../support/node/temp-dir.js';
import viteConfig from '../../vite.config.js';
import type { Cleanup } from './cleanup.js';
import type { ListKind, ListMeasurement, MessageListBenchPage } from './message-list-measurement.js';

export interface MessageListOptions {
  /** Messages in the conversation. */
  messages: number;
  /** Times each list is opened; the report gives medians. */
  runs: number;
}

export interface MessageListResult {
  messages: number;
  runs: number;
  virtualized: ListMeasurement;
  plain: ListMeasurement;
  /** virtualized / plain, medians: below 1 is faster or smaller. */
  ratios: { firstFrame: number; messageNodes: number; newMessage: number };
  /** The fastest and slowest first frame of each list over the runs (ms). */
  firstFrameSpread: Record<ListKind, { min: number; max: number }>;
}

const pageEntry = fileURLToPath(new URL('../support/browser/message-list-bench-page.ts', import.meta.url));
const html = '<!doctype html><meta charset="utf-8"><title>message list bench</title><script type="module" src="/page.js"></script>';
const types: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };
const pageTimeoutMs = 120_000;

type PageWindow = { messageListBench: MessageListBenchPage };

export async function benchMessageList(options: MessageListOptions, cleanup: Cleanup): Promise<MessageListResult> {
  const dir = await createTempDir('im-chat-bench-page-');
  const removeDir = cleanup.add(() => dir.remove());
  try {
    console.error('bench: message list: bundling the page');
    await bundle(dir.path);
    const server = await serve(dir.path);
    const stopServer = cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const closeBrowser = cleanup.add(() => browser.close());
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      return await measure(browser, url, options);
    } finally {
      await closeBrowser();
      await stopServer();
    }
  } finally {
    await removeDir();
  }
}

async function measure(browser: Browser, url: string, options: MessageListOptions): Promise<MessageListResult> {
  const context = await browser.newContext({ viewport: { width: 800, height: 800 } });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(pageTimeoutMs);
    await page.goto(url);
    console.error(`bench: message list: writing ${options.messages} messages to the cache`);
    // The functions passed to `evaluate` run in the page, where the bench page put its API.
    await page.evaluate((count) => (globalThis as unknown as PageWindow).messageListBench.seed(count), options.messages);
    const runs: Record<ListKind, ListMeasurement[]> = { virtualized: [], plain: [] };
    for (let run = 1; run <= options.runs; run++) {
      for (const kind of ['virtualized', 'plain'] as const) {
        console.error(`bench: message list: ${kind}, run ${run} of ${options.runs}`);
        await page.reload(); // a fresh page: no warm caches of the previous run
        runs[kind].push(await page.evaluate((which) => (globalThis as unknown as PageWindow).messageListBench.open(which), kind));
      }
    }
    const virtualized = medians(runs.virtualized);
    const plain = medians(runs.plain);
    return {
      messages: options.messages,
      runs: options.runs,
      virtualized,
      plain,
      firstFrameSpread: { virtualized: spread(runs.virtualized), plain: spread(runs.plain) },
      ratios: {
        firstFrame: round(virtualized.firstFrameMs / plain.firstFrameMs, 3),
        messageNodes: round(virtualized.messageNodes / plain.messageNodes, 4),
        newMessage: round(virtualized.newMessageMs / plain.newMessageMs, 3),
      },
    };
  } finally {
    await context.close();
  }
}

/** The page and everything it imports, as one production ES module (Lit without dev mode). */
async function bundle(outDir: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    resolve: viteConfig.resolve,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: pageEntry, formats: ['es'], fileName: () => 'page.js' },
    },
  });
}

/** Serves the bundle from loopback (IndexedDB needs an http origin). */
async function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    readFile(join(root, path)).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function medians(measurements: readonly ListMeasurement[]): ListMeasurement {
  const median = (pick: (m: ListMeasurement) => number) => {
    const sorted = measurements.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  return {
    firstFrameMs: round(median((m) => m.firstFrameMs), 1),
    messageNodes: median((m) => m.messageNodes),
    elements: median((m) => m.elements),
    newMessageMs: round(median((m) => m.newMessageMs), 1),
  };
}

function spread(measurements: readonly ListMeasurement[]): { min: number; max: number } {
  const frames = measurements.map((m) => m.firstFrameMs);
  return { min: round(Math.min(...frames), 1), max: round(Math.max(...frames), 1) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The part of the report's table about the message list. */
export function formatMessageList(result: MessageListResult): string {
  const { virtualized, plain, ratios, firstFrameSpread } = result;
  const range = ({ min, max }: { min: number; max: number }) => `${fixed(min)}–${fixed(max)}`;
  const rows = [
    ['', 'virtualized list', 'plain list (every row)', 'virtualized/plain'],
    ['first frame with messages (ms)', fixed(virtualized.firstFrameMs), fixed(plain.firstFrameMs), times(ratios.firstFrame)],
    ['  fastest–slowest run', range(firstFrameSpread.virtualized), range(firstFrameSpread.plain), ''],
    ['message rows in the DOM', String(virtualized.messageNodes), String(plain.messageNodes), times(ratios.messageNodes)],
    ['elements in the list', String(virtualized.elements), String(plain.elements), ''],
    ['new message to screen (ms)', fixed(virtualized.newMessageMs), fixed(plain.newMessageMs), times(ratios.newMessage)],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '))
    .join('\n');
  return [
    `Message list: one conversation of ${result.messages.toLocaleString('en-US')} cached messages opened in ` +
      `headless Chromium, median of ${result.runs} runs each, fresh page per run. The first frame with ` +
      'messages is the end of the first frame that shows the newest message wholly in view',
    '',
    table,
  ].join('\n');
}

const fixed = (value: number) => value.toFixed(1);
const times = (ratio: number) => (Number.isFinite(ratio) ? `${ratio.toFixed(3)}×` : '–');
