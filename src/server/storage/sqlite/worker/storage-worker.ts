/**
 * The storage worker: one SqliteStorage on a thread of its own, so that its statements,
 * commits and disk flushes run beside the event loop instead of on it. Calls arrive in
 * batches; the appends among them meet in one group commit, as they would on the main
 * thread. Replies go back in batches too.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SerializedAppend } from '../../messages/sqlite.js';
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

/** Sends what was replied in this turn as one message, once the turn ends. */
function flushSoon(): void {
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

function reply(answer: StorageReply): void {
  replies.replies.push(answer);
  flushSoon();
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

/** A turn's appends, submitted together: one promise for all of them, and their replies added in one go. */
function appendAll(appends: CallBatch['appends']): void {
  const ids: number[] = [];
  const decoded: SerializedAppend[] = [];
  for (let at = 0; at < appends.length; at += appendFields) {
    const id = appends[at] as number;
    try {
      decoded.push(decodeAppend(appends, at));
      ids.push(id);
    } catch (error) {
      reply({ id, ok: false, error: carryError(error) });
    }
  }
  storage.messages.appendSerializedAll(decoded).then(
    (results) => {
      const { appended } = replies;
      results.forEach((result, index) => {
        const id = ids[index]!;
        if (!result.ok) replies.replies.push({ id, ok: false, error: carryError(result.error) });
        else if (result.value.duplicate) replies.replies.push({ id, ok: true, value: result.value });
        else appended.push(id, result.value.message.id, result.value.message.seq);
      });
      flushSoon();
    },
    (error: unknown) => {
      for (const id of ids) replies.replies.push({ id, ok: false, error: carryError(error) });
      flushSoon();
    },
  );
}

function areaSide({ area, side }: AreaTarget): Record<string, (...args: unknown[]) => Promise<unknown>> | undefined {
  const found = (storage as unknown as Record<string, Record<string, unknown> | undefined>)[area]?.[side];
  return found as Record<string, (...args: unknown[]) => Promise<unknown>> | undefined;
}

port.on('message', ({ appends, calls }: CallBatch) => {
  if (appends.length > 0) appendAll(appends);
  for (const call of calls) run(call);
});
