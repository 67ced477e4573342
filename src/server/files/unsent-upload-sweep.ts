/** Deleting uploads that never made it into a message. */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';
import type { BlobStore } from './blob-store.js';

export interface UnsentUploadOptions {
  /** How long an upload may wait for a message carrying it before it is deleted; default a day. */
  unsentTtlMs?: number;
  /** How often this process looks for expired uploads; default every 10 minutes. */
  unsentSweepIntervalMs?: number;
}

export const defaultUnsentUploads: Required<UnsentUploadOptions> = {
  unsentTtlMs: 24 * 60 * 60_000,
  unsentSweepIntervalMs: 10 * 60_000,
};

/** Records removed per transaction: short row locks, however many expired at once. */
const batchSize = 100;

/**
 * Every interval, removes the uploads no message has carried for `unsentTtlMs`: records
 * first, then the blobs no record uses any more. That order is what keeps a file being
 * sent at that moment whole: storage removes a record only while no send holds it
 * (a send then fails with `not_found`, or the record is sent and stays), and a forward
 * copies only a record still there; so once the removal has committed, no record can
 * come to use those bytes. A blob whose deletion fails stays on disk, unreferenced, and
 * is logged. Any number of processes may sweep the same storage.
 *
 * @example
 * const sweep = new UnsentUploadSweep({ storage, store, clock, logger });
 * sweep.start();
 * await sweep.stop();
 */
export class UnsentUploadSweep {
  readonly #options: Required<UnsentUploadOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly deps: { storage: Pick<Storage, 'files'>; store: BlobStore; clock: Clock; logger: FastifyBaseLogger },
    options: UnsentUploadOptions = {},
  ) {
    this.#options = { ...defaultUnsentUploads, ...options };
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.sweep()
        .then(
          () => undefined,
          (error: unknown) => this.deps.logger.error({ err: error }, 'could not delete unsent uploads'),
        )
        .finally(() => (this.#running = null));
    }, this.#options.unsentSweepIntervalMs);
    // Waiting to sweep is no reason to keep the process alive.
    this.#timer.unref();
  }

  /** Stops the timer and waits for a sweep under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One pass over everything expired now; resolves with the number of uploads removed. */
  async sweep(): Promise<number> {
    const { storage, store, clock, logger } = this.deps;
    const createdBefore = clock.now() - this.#options.unsentTtlMs;
    let total = 0;
    for (;;) {
      const { removed, orphanedStorageKeys } = await storage.files.write.removeUnsent({ createdBefore, limit: batchSize });
      for (const key of orphanedStorageKeys) {
        await store.delete(key).catch((error: unknown) => logger.error({ err: error, key }, 'could not delete a file'));
      }
      total += removed;
      if (removed < batchSize) return total;
    }
  }
}
