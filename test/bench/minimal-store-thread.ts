/**
 * The main thread's side of the durable relay's storage: appends made in one turn of the
 * event loop cross to the worker (minimal-store-worker.ts) as one message; each resolves
 * once the commit that holds it has returned.
 */
import { Worker } from 'node:worker_threads';
import type { MinimalAppend, MinimalAppended } from './minimal-store.js';

export interface AppendBatch {
  appends: { id: number; input: MinimalAppend }[];
}
export type StoreReply = { id: number; ok: true; value: MinimalAppended } | { id: number; ok: false; error: string };
export interface ReplyBatch {
  replies: StoreReply[];
}

interface Pending {
  resolve(value: MinimalAppended): void;
  reject(error: Error): void;
}

export class MinimalStoreThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #queue: AppendBatch['appends'] = [];
  #nextId = 1;
  #failure: Error | null = null;

  constructor(filename: string) {
    this.#worker = new Worker(new URL('./minimal-store-worker-entry.mjs', import.meta.url), { workerData: { filename } });
    this.#worker.on('message', ({ replies }: ReplyBatch) => {
      for (const reply of replies) {
        const pending = this.#pending.get(reply.id)!;
        this.#pending.delete(reply.id);
        if (reply.ok) pending.resolve(reply.value);
        else pending.reject(new Error(reply.error));
      }
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const pending of this.#pending.values()) pending.reject(this.#failure);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the storage thread stopped (exit code ${code})`)));
  }

  append(input: MinimalAppend): Promise<MinimalAppended> {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    if (this.#queue.length === 0) setImmediate(() => this.#send());
    this.#queue.push({ id, input });
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  /** Commits what was handed over, then stops the thread. */
  async close(): Promise<void> {
    if (this.#failure) return;
    this.#send();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage({ type: 'close' });
    await exited;
  }

  #send(): void {
    if (this.#queue.length === 0) return;
    const batch: AppendBatch = { appends: this.#queue };
    this.#queue = [];
    this.#worker.postMessage(batch);
  }
}
