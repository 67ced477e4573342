/**
 * The minimal store on a thread of its own: appends arrive in batches from the main
 * thread; whatever arrived while the last commit ran is committed next, as one
 * transaction, and answered only once that commit has returned (it is durable then).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MinimalStore } from './minimal-store.js';
import type { AppendBatch, ReplyBatch, StoreReply } from './minimal-store-thread.js';

const port = parentPort!;
const store = new MinimalStore((workerData as { filename: string }).filename);
let waiting: AppendBatch['appends'] = [];
let scheduled = false;

function commitWaiting(): void {
  scheduled = false;
  const batch = waiting;
  waiting = [];
  // Closing committed them already.
  if (batch.length === 0) return;
  let replies: StoreReply[];
  try {
    const results = store.commit(batch.map((call) => call.input));
    replies = results.map((value, index) => ({ id: batch[index]!.id, ok: true, value }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    replies = batch.map((call) => ({ id: call.id, ok: false, error: message }));
  }
  port.postMessage({ replies } satisfies ReplyBatch);
}

port.on('message', (message: AppendBatch | { type: 'close' }) => {
  if ('type' in message) {
    if (waiting.length > 0) commitWaiting();
    store.close();
    port.close();
    return;
  }
  waiting.push(...message.appends);
  if (!scheduled) {
    scheduled = true;
    // After the messages already queued on the port: they join this commit.
    setImmediate(commitWaiting);
  }
});
