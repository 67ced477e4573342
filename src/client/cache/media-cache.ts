import type { CacheDb } from './db.js';

/** What the media cache keeps by default: enough for a few hundred photos. */
export const defaultMediaCacheBytes = 50 * 1024 * 1024;

/**
 * Images the user has seen, so that they show again offline and after a reload. It holds
 * at most `budgetBytes`; past that the least recently shown go first. Like the rest of the
 * cache it may be evicted by the browser: the server still has every file.
 */
export class MediaCache {
  constructor(
    private readonly db: CacheDb,
    private readonly budgetBytes: number,
  ) {}

  /** The image, if kept; it counts as used now. */
  async get(fileId: string): Promise<Blob | undefined> {
    const entry = await this.db.media.get(fileId);
    if (!entry?.bytes) return undefined;
    // Best effort: a failed touch only makes the image a little likelier to go.
    await this.db.media.update(fileId, { usedAt: Date.now() }).catch(() => 0);
    return new Blob([entry.bytes], { type: entry.type });
  }

  /** Keeps an image, then lets the least recently used go until all fit the budget. */
  async put(fileId: string, blob: Blob): Promise<void> {
    if (blob.size > this.budgetBytes) return;
    // Read before the transaction: it would close while waiting on anything but the database.
    const bytes = await blob.arrayBuffer();
    const { media } = this.db;
    await this.db.transaction('rw', media, async () => {
      await media.put({ fileId, bytes, type: blob.type, size: blob.size, usedAt: Date.now() });
      let total = 0;
      const evicted: string[] = [];
      await media
        .orderBy('usedAt')
        .reverse()
        .each((entry) => {
          total += entry.size;
          if (total > this.budgetBytes) evicted.push(entry.fileId);
        });
      await media.bulkDelete(evicted);
    });
  }
}
