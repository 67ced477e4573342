/**
 * `npm run bench`: messages/s, delivery latency and server CPU per message through the
 * im-chat server against a bare socket.io relay and a durable relay (the bare relay plus
 * the minimal durable storage), in interleaved rounds (messaging-bench.ts). Each target
 * runs in its own process and the generator in another, so their CPU costs stay apart.
 * Then storage alone against the minimal schema (storage-bench.ts), uploads through the
 * server against a bare HTTP sink (upload-bench.ts), group fan-out and memory per
 * connection (fanout-bench.ts), reconnect catch-up (catch-up-bench.ts), and the client:
 * bundle sizes (bundle-bench.ts) and a long conversation opened in the message list
 * (message-list-bench.ts). `--only server`, `--only client` or a list of sections runs
 * those. The report goes to stdout (tables, then one line of JSON); progress goes to
 * stderr.
 */
import { Cleanup } from './cleanup.js';
import { benchBundles, formatBundles } from './bundle-bench.js';
import { benchCatchUp, formatCatchUp } from './catch-up-bench.js';
import { benchFanout, formatFanout } from './fanout-bench.js';
import { benchMessaging } from './messaging-bench.js';
import { OptionsError, readOptions, usage, type BenchSection } from './options.js';
import { benchMessageList, formatMessageList } from './message-list-bench.js';
import { deliveryFailed, formatReport } from './report.js';
import { benchStorage, formatStorage } from './storage-bench.js';
import { benchUploads, formatUploads } from './upload-bench.js';

const cleanup = new Cleanup();
let interrupted = false;

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2), process.env);
  const runs = (section: BenchSection) => options.only === null || options.only.has(section);
  const messaging = runs('messaging') ? await benchMessaging(options, cleanup) : null;
  const storage = runs('storage')
    ? await benchStorage({ messages: options.storageMessages, batches: options.storageBatches, rounds: options.rounds }, cleanup)
    : null;
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
    messaging && formatReport(messaging),
    storage && formatStorage(storage),
    uploads && formatUploads(uploads),
    fanout && formatFanout(fanout),
    catchUp && formatCatchUp(catchUp),
    bundles && formatBundles(bundles),
    messageList && formatMessageList(messageList),
  ];
  console.log(sections.filter(Boolean).join('\n\n'));
  console.log(
    JSON.stringify({
      ...(messaging && { messaging }),
      ...(storage && { storage }),
      ...(uploads && { uploads }),
      ...(fanout && { fanout }),
      ...(catchUp && { catchUp }),
      ...(bundles && { bundles }),
      ...(messageList && { messageList }),
    }),
  );
  if (messaging?.targets.some(deliveryFailed)) {
    console.error('Acknowledged messages were lost or duplicated: see "delivered exactly once".');
    process.exitCode = 1;
  }
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
