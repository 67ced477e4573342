import { ChatCache } from './cache/chat-cache.js';
import type { IndexedDbBackend } from './cache/backend.js';
import { CacheDb, cacheDbName } from './cache/db.js';
import { MediaCache } from './cache/media-cache.js';
import type { Connection } from './connection.js';
import { ChatError, LocalErrorCode } from './errors.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { Synchronizer } from './sync.js';

export interface UserStoresOptions {
  serverOrigin: string;
  connection: Connection;
  /** Where caches live; known once the client has started. */
  storage: () => IndexedDbBackend;
  outbox: OutboxOptions;
  mediaCacheBytes: number;
  /** A user's cache was opened (in place of another's, or of none). */
  onOpen: (cache: ChatCache) => void;
}

/**
 * What the client keeps of one user on this browser, opened and closed together: the
 * cache, the outbox that sends from it, the synchronizer that fills it and the images
 * kept for showing offline. One user at a time; another user's token replaces them.
 */
export class UserStores {
  #cache: ChatCache | null = null;
  #outbox: Outbox | null = null;
  #sync: Synchronizer | null = null;
  #media: MediaCache | null = null;

  constructor(private readonly options: UserStoresOptions) {}

  /** The open cache (null until the user is known). */
  get cache(): ChatCache | null {
    return this.#cache;
  }

  get outbox(): Outbox | null {
    return this.#outbox;
  }

  get sync(): Synchronizer | null {
    return this.#sync;
  }

  get media(): MediaCache | null {
    return this.#media;
  }

  /** Opens `userId`'s stores, closing another user's; nothing when theirs are open. */
  open(userId: string): void {
    if (this.#cache?.userId === userId) return;
    this.close();
    const { connection } = this.options;
    const cache = new ChatCache(new CacheDb(cacheDbName(this.options.serverOrigin, userId), this.options.storage()), userId);
    this.#cache = cache;
    this.#sync = new Synchronizer(cache, connection);
    this.#media = new MediaCache(cache.db, this.options.mediaCacheBytes);
    this.#outbox = new Outbox(cache, connection, this.options.outbox);
    this.#outbox.start();
    this.options.onOpen(cache);
  }

  close(): void {
    this.#outbox?.stop();
    this.#cache?.close();
    this.#outbox = null;
    this.#sync = null;
    this.#media = null;
    this.#cache = null;
  }

  requireCache(): ChatCache {
    if (!this.#cache) throw new ChatError(LocalErrorCode.Offline, 'Not signed in yet.');
    return this.#cache;
  }

  requireOutbox(): Outbox {
    this.requireCache();
    return this.#outbox!;
  }
}
