/**
 * The storage worker: one SqliteStorage on a thread of its own, so that its statements,
 * commits and disk flushes run beside the event loop instead of on it. Calls arrive in
 * batches; the appends among them meet in one group commit, as they would on the main
 * thread. Replies go back in batches too.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStorage } from '../sqlite-storage.js';
import {
  appendAnswer,
  carryError,
  decodeAppend,
  type AppendCall,
  type AreaTarget,
  type ReplyBatch,
  type StorageCall,
  type StorageReply,
  type WorkerCall,
  type WorkerOptions,
} from './worker-protocol.js';

const port = parentPort!;
const options = workerData as WorkerOptions;
const storage = new SqliteStorage(options);
const methods = storage as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

let replies: StorageReply[] = [];
let scheduled = false;

function reply(answer: StorageReply): void {
  replies.push(answer);
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const batch: ReplyBatch = { replies };
    if (options.countStatements) batch.statements = storage.statementCount();
    replies = [];
    port.postMessage(batch);
  });
}

function run({ id, target, method, args }: StorageCall): void {
  const owner = target ? areaSide(target) : methods;
  const operation = owner?.[method];
  if (typeof operation !== 'function' || method === 'constructor') {
    reply({ id, ok: false, error: carryError(new Error(`storage has no method ${method}`)) });
    return;
  }
  let pending: Promise<unknown>;
  try {
    pending = Promise.resolve(operation.apply(owner, args));
  } catch (error) {
    pending = Promise.reject(error);
  }
  pending.then(
    (value) => reply({ id, ok: true, value }),
    (error: unknown) => reply({ id, ok: false, error: carryError(error) }),
  );
}

function append({ id, append: encoded }: AppendCall): void {
  let pending: Promise<unknown>;
  try {
    const { input, serializedBody } = decodeAppend(encoded);
    pending = storage.messages.appendSerialized(input, serializedBody).then(appendAnswer);
  } catch (error) {
    pending = Promise.reject(error);
  }
  pending.then(
    (value) => reply({ id, ok: true, value }),
    (error: unknown) => reply({ id, ok: false, error: carryError(error) }),
  );
}

function areaSide({ area, side }: AreaTarget): Record<string, (...args: unknown[]) => Promise<unknown>> | undefined {
  const found = (storage as unknown as Record<string, Record<string, unknown> | undefined>)[area]?.[side];
  return found as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
}

port.on('message', (calls: WorkerCall[]) => {
  for (const call of calls) {
    if ('append' in call) append(call);
    else run(call);
  }
});
