import Dexie, { type EntityTable } from 'dexie';

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
  readonly #db = new Dexie('im-chat:sessions') as Dexie & {
    sessions: EntityTable<SessionEntry, 'serverOrigin'>;
  };

  constructor() {
    this.#db.version(1).stores({ sessions: 'serverOrigin' });
    this.#db.on('versionchange', () => {
      this.#db.close({ disableAutoOpen: false });
      return false;
    });
  }

  async lastUser(serverOrigin: string): Promise<string | undefined> {
    return (await this.#db.sessions.get(serverOrigin))?.userId;
  }

  async remember(serverOrigin: string, userId: string): Promise<void> {
    await this.#db.sessions.put({ serverOrigin, userId, updatedAt: Date.now() });
  }

  /** Forgets the user of a server (they signed out), if they were the last one. */
  async forget(serverOrigin: string, userId: string): Promise<void> {
    await this.#db.sessions.where('serverOrigin').equals(serverOrigin).and((entry) => entry.userId === userId).delete();
  }

  /** Lets go of the database (so other tabs may upgrade it); it reopens when used again. */
  close(): void {
    this.#db.close({ disableAutoOpen: false });
  }
}
