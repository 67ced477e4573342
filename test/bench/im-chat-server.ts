/**
 * The im-chat reference server as the benchmark runs it: real JWT auth, validation and
 * SQLite storage (WAL, synchronous = FULL) in a fresh directory; only the per-socket rate
 * limit is raised so that it does not throttle the load.
 */
import { join } from 'node:path';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';
import { createServer } from '../../src/server/create-server.js';
import { DiskBlobStore } from '../../src/server/files/disk-blob-store.js';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import { readConfig, type TargetConfig } from './ipc.js';
import { serveTarget } from './target-child.js';

void serveTarget(async () => {
  const config = readConfig<TargetConfig>();
  const storage = new SqliteStorage({ filename: join(config.dataDir, 'im-chat.sqlite') });
  try {
    await storage.migrate();
    const server = createServer({
      storage,
      auth: createJwtAuthenticator({ secret: Buffer.from(config.secretHex, 'hex') }),
      rateLimit: config.rateLimit,
      files: { store: new DiskBlobStore(join(config.dataDir, 'files')) },
    });
    const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
    return {
      port,
      async close() {
        await server.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
});
