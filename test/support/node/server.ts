import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { User } from '../../../src/protocol/index.js';
import { createJwtAuthenticator } from '../../../src/server/auth/jwt-authenticator.js';
import type { Clock } from '../../../src/server/clock.js';
import { createDemoMode } from '../../../src/server/demo.js';
import { DiskBlobStore } from '../../../src/server/files/disk-blob-store.js';
import type { FileOptions } from '../../../src/server/http/file-routes.js';
import {
  createServer,
  type ImChatServer,
  type ServerOptions,
} from '../../../src/server/create-server.js';
import { SqliteStorage } from '../../../src/server/storage/sqlite/sqlite-storage.js';
import { connectClient, type ConnectOptions, type TestClient } from './client.js';
import { createTempDir, type TempDir } from './temp-dir.js';
import { mintToken, type TokenClaims } from './tokens.js';

export const testUsers = {
  alice: { id: 'alice', name: 'Alice', avatar: null },
  bob: { id: 'bob', name: 'Bob', avatar: 'https://example.com/bob.png' },
  carol: { id: 'carol', name: 'Carol', avatar: null },
  dave: { id: 'dave', name: 'Dave', avatar: null },
} satisfies Record<string, User>;

export type TestUserId = keyof typeof testUsers;

export interface TestServerOptions
  extends Partial<Omit<ServerOptions, 'storage' | 'auth' | 'clock' | 'demo' | 'files'>> {
  /** Demo mode, its tokens signed with the server's secret. */
  demo?: boolean;
  /** Clock skew allowed on tokens; default 0 so that expiry tests need not wait. */
  clockToleranceSeconds?: number;
  clock?: Clock;
  /** Stored before the server starts, as if they had connected once. */
  users?: readonly User[];
  /** Upload settings; the files are kept in the data dir. */
  files?: Omit<FileOptions, 'store'>;
  /** The HS256 secret as a host would configure it; default 32 random bytes. */
  jwtSecret?: string;
}

/**
 * A real server on 127.0.0.1, a free port, a SQLite file in a fresh temp dir and a
 * random HS256 secret. `restart()` reopens the same data dir, as a process restart would.
 */
export class TestServer {
  readonly secret: Uint8Array;
  readonly #clients = new Set<TestClient>();
  #server: ImChatServer | null = null;
  #storage: SqliteStorage | null = null;
  #url = '';

  private constructor(
    readonly dataDir: TempDir,
    private readonly options: TestServerOptions,
  ) {
    this.secret = options.jwtSecret ? new TextEncoder().encode(options.jwtSecret) : randomBytes(32);
  }

  static async start(options: TestServerOptions = {}): Promise<TestServer> {
    const server = new TestServer(await createTempDir(), options);
    await server.#open();
    for (const user of options.users ?? Object.values(testUsers)) {
      await server.storage.accounts.write.upsertUser(user, Date.now());
    }
    return server;
  }

  get url(): string {
    return this.#url;
  }

  get storage(): SqliteStorage {
    if (!this.#storage) throw new Error('the test server is not running');
    return this.#storage;
  }

  get server(): ImChatServer {
    if (!this.#server) throw new Error('the test server is not running');
    return this.#server;
  }

  /** A token for a test user (by id) or for any claims. */
  token(who: TestUserId | TokenClaims): Promise<string> {
    const claims =
      typeof who === 'string'
        ? { sub: who, name: testUsers[who].name, avatar: testUsers[who].avatar }
        : who;
    return mintToken(this.secret, claims);
  }

  /** A connected client that has received `session:ready`; closed with the server. */
  async connect(who: TestUserId | TokenClaims, options: ConnectOptions = {}): Promise<TestClient> {
    const client = await connectClient(this.url, await this.token(who), options);
    this.#clients.add(client);
    return client;
  }

  async restart(): Promise<void> {
    await this.#shutdown();
    await this.#open();
  }

  async close(): Promise<void> {
    await this.#shutdown();
    await this.dataDir.remove();
  }

  async #open(): Promise<void> {
    const { clockToleranceSeconds = 0, clock, demo, users: _users, files, jwtSecret: _jwtSecret, ...serverOptions } =
      this.options;
    const storage = new SqliteStorage({ filename: join(this.dataDir.path, 'im-chat.sqlite') });
    await storage.migrate();
    const server = createServer({
      ...serverOptions,
      storage,
      auth: createJwtAuthenticator({ secret: this.secret, clockToleranceSeconds, clock }),
      demo: demo ? createDemoMode({ secret: this.secret, clock }) : undefined,
      files: { ...files, store: new DiskBlobStore(join(this.dataDir.path, 'files')) },
      clock,
    });
    const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
    this.#storage = storage;
    this.#server = server;
    this.#url = url;
  }

  async #shutdown(): Promise<void> {
    for (const client of this.#clients) client.close();
    this.#clients.clear();
    await this.#server?.close();
    await this.#storage?.close();
    this.#server = null;
    this.#storage = null;
  }
}
