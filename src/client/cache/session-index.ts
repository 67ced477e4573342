import { Dexie, type EntityTable } from 'dexie';
import type { IndexedDbBackend } from './backend.js';

interface SessionEntry {
  serverOrigin: string;
  userId: string;
  updatedAt: number;
}

/**
 * Remembers which user last signed in to each server, so that after a reload the
 * right cache opens at once, before a token provider or the network has answered.
 */
export class SessionIndex {
  #db: SessionDb | null = null;

  constructor(readonly backend: Promise<IndexedDbBackend>) {}

  async lastUser(serverOrigin: string): Promise<string | undefined> {
    return (await (await this.#open()).sessions.get(serverOrigin))?.userId;
  }

  async remember(serverOrigin: string, userId: string): Promise<void> {
    await (await this.#open()).sessions.put({ serverOrigin, userId, updatedAt: Date.now() });
  }

  /** Forgets the user of a server (they signed out), if they were the last one. */
  async forget(serverOrigin: string, userId: string): Promise<void> {
    const db = await this.#open();
    await db.sessions.where('serverOrigin').equals(serverOrigin).and((entry) => entry.userId === userId).delete();
  }

  /** Lets go of the database (so other tabs may upgrade it); it reopens when used again. */
  close(): void {
    this.#db?.close({ disableAutoOpen: false });
  }

  async #open(): Promise<SessionDb> {
    const backend = await this.backend;
    if (this.#db) return this.#db;
    const db = new Dexie('im-chat:sessions', { indexedDB: backend.indexedDB, IDBKeyRange: backend.IDBKeyRange }) as SessionDb;
    db.version(1).stores({ sessions: 'serverOrigin' });
    db.on('versionchange', () => {
      db.close({ disableAutoOpen: false });
      return false;
    });
    this.#db = db;
    return db;
  }
}

type SessionDb = Dexie & { sessions: EntityTable<SessionEntry, 'serverOrigin'> };
