import { Dexie } from 'dexie';

/** Where the client's Dexie databases live: the page's IndexedDB, or memory when the page may not use it. */
export interface IndexedDbBackend {
  readonly indexedDB: IDBFactory;
  readonly IDBKeyRange: typeof IDBKeyRange;
  /** False when everything is kept in memory only, gone with the page. */
  readonly persistent: boolean;
}

/** Opened (and deleted again) to learn whether the page may use IndexedDB. */
const probeName = 'im-chat:probe';

let chosen: Promise<IndexedDbBackend> | null = null;

/**
 * The page's IndexedDB where it works; otherwise (privacy modes, sandboxed frames, a page
 * that removed it) an in-memory IndexedDB, loaded only then. Decided once per page.
 */
export function indexedDbBackend(): Promise<IndexedDbBackend> {
  chosen ??= choose();
  return chosen;
}

async function choose(): Promise<IndexedDbBackend> {
  const page = pageIndexedDb();
  if (page && typeof IDBKeyRange === 'function' && (await opens(page))) {
    return { indexedDB: page, IDBKeyRange, persistent: true };
  }
  const memory = await import('fake-indexeddb');
  const backend = { indexedDB: new memory.IDBFactory(), IDBKeyRange: memory.IDBKeyRange, persistent: false };
  // Dexie's liveQuery quietly never runs while its default IndexedDB (the page's, read when
  // Dexie loaded) is missing; the widget bundles its own Dexie, so this reaches no one else.
  Dexie.dependencies.indexedDB ??= backend.indexedDB;
  Dexie.dependencies.IDBKeyRange ??= backend.IDBKeyRange;
  return backend;
}

function pageIndexedDb(): IDBFactory | null {
  try {
    return globalThis.indexedDB ?? null;
  } catch {
    return null; // the getter throws where the browser blocks storage
  }
}

/** Whether a database opens: blocked storage throws at once or fails the request. */
function opens(factory: IDBFactory): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const request = factory.open(probeName);
      request.onsuccess = () => {
        request.result.close();
        factory.deleteDatabase(probeName);
        resolve(true);
      };
      request.onerror = () => resolve(false);
      request.onblocked = () => resolve(true);
    } catch {
      resolve(false);
    }
  });
}
