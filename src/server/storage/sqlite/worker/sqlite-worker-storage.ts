import { Worker } from 'node:worker_threads';
import { CommandError } from '../../../errors.js';
import type { StatementCount } from '../../statement-count.js';
import { storageAreaNames, type StorageAreas } from '../../area.js';
import type { Storage } from '../../storage.js';
import { SqliteStorage } from '../sqlite-storage.js';
import type { AppendMessageInput, AppendMessageResult } from '../../../messages/append-decision.js';
import {
  appendFields,
  appendResult,
  encodeAppend,
  restoreError,
  type AreaTarget,
  type CallBatch,
  type ReplyBatch,
  type WorkerOptions,
} from './worker-protocol.js';

export type WorkerStorage = Storage & { statementCount(): StatementCount };

export interface WorkerStorageOptions extends WorkerOptions {
  /**
   * The worker stopped without being closed (it ran out of memory, say): every call
   * since fails with `unavailable`, never a false success. The reference server exits
   * then, for its supervisor to start it again; clients reconnect and catch up.
   */
  onFailure?: (error: Error) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * An object whose every method is `call(method, args)`: an area's side, forwarded; the
 * methods of `own` are its own instead. Its methods live on the storage instances, not on
 * a prototype, so they are not listed here.
 */
function forwarder(call: (method: string, args: unknown[]) => Promise<unknown>, own: object = {}): object {
  return new Proxy(own, {
    get: (target, method) => {
      if (Object.hasOwn(target, method)) return (target as Record<string | symbol, unknown>)[method];
      // Not a thenable: `then` is never a storage method.
      return typeof method === 'string' && method !== 'then' ? (...args: unknown[]) => call(method, args) : undefined;
    },
  });
}

/**
 * The embedded SQLite storage with its writes on a worker thread: the same SqliteStorage,
 * the same file and guarantees (a resolved write is on disk), but the statements, commits
 * and waits for the disk of every write are off the event loop, which is left to the
 * sockets. Writes made in one turn of the event loop cross to the worker as one message,
 * and their replies come back as one. Every area's `read` side stays on this thread, on a
 * read-only connection of its own (WAL lets it read beside the writer, and it sees every
 * write that has resolved), so a catch-up or a history page pays no hop to the worker.
 *
 * @example
 * const storage = openSqliteWorkerStorage({ filename: 'data/im-chat.sqlite' });
 * await storage.migrate();
 */
export function openSqliteWorkerStorage(options: WorkerStorageOptions): WorkerStorage {
  return new StorageThread(options).storage;
}

class StorageThread {
  readonly storage: WorkerStorage;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #queue: CallBatch = { appends: [], calls: [] };
  #flushScheduled = false;
  #nextId = 1;
  #statements: StatementCount = { statements: 0, transactions: 0 };
  /** Why calls fail from now on: set when the worker stops or the storage closes. */
  #stopped: CommandError | null = null;
  #closing: Promise<void> | null = null;
  /** Opened once the worker has migrated the file. */
  #reader: SqliteStorage | null = null;

  constructor({ onFailure, ...options }: WorkerStorageOptions) {
    this.#worker = new Worker(new URL('./storage-worker-entry.mjs', import.meta.url), { workerData: options });
    // Idle, the thread does not keep the process alive (a SqliteStorage would not either).
    this.#worker.unref();
    this.#worker.on('message', (batch: ReplyBatch) => this.#settle(batch));
    const failed = (reason: string) => {
      if (this.#stopped) return;
      this.#stop(reason);
      onFailure?.(this.#stopped!);
    };
    this.#worker.on('error', (error) => failed(`the storage worker failed: ${error.message}`));
    this.#worker.on('exit', (code) => failed(`the storage worker stopped (exit code ${code})`));

    const storage: Record<string, unknown> = {
      migrate: () => this.#migrate(options),
      close: () => this.#close(),
      statementCount: () => this.#statementCount(),
    };
    for (const area of storageAreaNames) {
      const own = area === 'messages' ? { append: (input: AppendMessageInput) => this.#append(input) } : {};
      storage[area] = {
        read: forwarder((method, args) => this.#readArea(area, method, args)),
        write: forwarder((method, args) => this.#call(method, args, { area, side: 'write' }), own),
      };
    }
    this.storage = storage as unknown as WorkerStorage;
  }

  async #migrate(options: WorkerOptions): Promise<void> {
    await this.#call('migrate', []);
    if (this.#reader) return;
    const reader = new SqliteStorage({ ...options, readonly: true });
    try {
      await reader.migrate();
    } catch (error) {
      await reader.close();
      throw error;
    }
    this.#reader = reader;
  }

  /** An area's read: on this thread's read-only connection once it is open. */
  #readArea(area: keyof StorageAreas, method: string, args: unknown[]): Promise<unknown> {
    if (this.#stopped || !this.#reader) return this.#call(method, args, { area, side: 'read' });
    const reads = this.#reader[area].read as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    return reads[method]!.apply(reads, args);
  }

  #statementCount(): StatementCount {
    const reads = this.#reader?.statementCount() ?? { statements: 0, transactions: 0 };
    return {
      statements: this.#statements.statements + reads.statements,
      transactions: this.#statements.transactions + reads.transactions,
    };
  }

  #call(method: string, args: unknown[], target?: AreaTarget): Promise<unknown> {
    return this.#send((id) => this.#queue.calls.push(target ? { id, target, method, args } : { id, method, args }));
  }

  /** `messages.write.append`, the call of every message, in its flat form (worker-protocol.ts). */
  async #append(input: AppendMessageInput): Promise<AppendMessageResult> {
    const answer = await this.#send((id) => encodeAppend(id, input, this.#queue.appends));
    return Array.isArray(answer) ? appendResult(input, answer[0] as string, answer[1] as number) : (answer as AppendMessageResult);
  }

  #send(enqueue: (id: number) => void): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    enqueue(id);
    if (this.#pending.size === 0) this.#worker.ref();
    const settled = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
    return settled;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#queue;
    this.#queue = { appends: [], calls: [] };
    if ((batch.calls.length === 0 && batch.appends.length === 0) || this.#stopped) return;
    try {
      this.#worker.postMessage(batch);
    } catch (error) {
      // An argument that cannot be copied to the worker: a programming error, each call's own.
      for (const id of idsOf(batch)) this.#take(id)?.reject(error);
    }
  }

  #settle({ appended, replies, statements }: ReplyBatch): void {
    if (statements) this.#statements = statements;
    for (let at = 0; at < appended.length; at += 3) this.#take(appended[at] as number)?.resolve([appended[at + 1], appended[at + 2]]);
    for (const reply of replies) {
      const pending = this.#take(reply.id);
      if (!pending) continue;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(restoreError(reply.error));
    }
  }

  #take(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    return pending;
  }

  /** Commits what was accepted (the worker's close waits for its appends), then ends the thread. */
  #close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#stopped) await this.#call('close', []);
      this.#stop('storage is closed');
      await this.#reader?.close();
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #stop(reason: string): void {
    this.#stopped ??= new CommandError('unavailable', reason);
    for (const id of idsOf(this.#queue)) this.#take(id)?.reject(this.#stopped);
    this.#queue = { appends: [], calls: [] };
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(this.#stopped);
    }
    this.#worker.unref();
  }
}

/** The ids of the calls in `batch`. */
function idsOf({ appends, calls }: CallBatch): number[] {
  const ids = calls.map((call) => call.id);
  for (let at = 0; at < appends.length; at += appendFields) ids.push(appends[at] as number);
  return ids;
}
