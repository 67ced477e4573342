/**
 * The storage worker: one SqliteStorage on a thread of its own, so that its statements,
 * commits and disk flushes run beside the event loop instead of on it. Calls arrive in
 * batches; the appends among them meet in one group commit, as they would on the main
 * thread. Replies go back in batches too.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppendMessageResult } from '../../../messages/append-decision.js';
import { SqliteStorage } from '../sqlite-storage.js';
import {
  appendFields,
  carryError,
  decodeAppend,
  type AreaTarget,
  type CallBatch,
  type ReplyBatch,
  type StorageCall,
  type StorageReply,
  type WorkerOptions,
} from './worker-protocol.js';

const port = parentPort!;
const options = workerData as WorkerOptions;
const storage = new SqliteStorage(options);
const methods = storage as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

let replies: ReplyBatch = { appended: [], replies: [] };
let scheduled = false;

function reply(answer: StorageReply | [id: number, messageId: string, seq: number]): void {
  if (Array.isArray(answer)) replies.appended.push(...answer);
  else replies.replies.push(answer);
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const batch = replies;
    if (options.countStatements) batch.statements = storage.statementCount();
    replies = { appended: [], replies: [] };
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

function append(appends: CallBatch['appends'], at: number): void {
  const id = appends[at] as number;
  let pending: Promise<AppendMessageResult>;
  try {
    const { input, serializedBody } = decodeAppend(appends, at);
    pending = storage.messages.appendSerialized(input, serializedBody);
  } catch (error) {
    pending = Promise.reject(error);
  }
  pending.then(
    (result) => reply(result.duplicate ? { id, ok: true, value: result } : [id, result.message.id, result.message.seq]),
    (error: unknown) => reply({ id, ok: false, error: carryError(error) }),
  );
}

function areaSide({ area, side }: AreaTarget): Record<string, (...args: unknown[]) => Promise<unknown>> | undefined {
  const found = (storage as unknown as Record<string, Record<string, unknown> | undefined>)[area]?.[side];
  return found as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
}

port.on('message', ({ appends, calls }: CallBatch) => {
  for (let at = 0; at < appends.length; at += appendFields) append(appends, at);
  for (const call of calls) run(call);
});
