/**
 * The im-chat reference server as the benchmark runs it: real JWT auth, validation and
 * storage (SQLite in WAL mode with synchronous = FULL in a fresh directory, on a worker
 * thread as `npm start` runs it, or PostgreSQL in a schema of its own, linked to its other
 * processes through Redis); only the rate limits (per socket, of sends and of uploads)
 * and the upload quota are raised so that they do not throttle the load.
 */
import { join } from 'node:path';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';
import { systemClock } from '../../src/server/clock.js';
import { createServer } from '../../src/server/create-server.js';
import { DiskBlobStore } from '../../src/server/files/disk-blob-store.js';
import { connectRedis } from '../../src/server/scale-out/redis-link.js';
import { PostgresStorage } from '../../src/server/storage/postgres/postgres-storage.js';
import { openSqliteWorkerStorage } from '../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import { readConfig, type TargetConfig } from './ipc.js';
import { serveTarget } from './target-child.js';

void serveTarget(async () => {
  const config = readConfig<TargetConfig>();
  const countStatements = config.countStatements ?? false;
  const storage = config.postgres
    ? new PostgresStorage({ connectionString: config.postgres.url, schema: config.postgres.schema, countStatements })
    : openSqliteWorkerStorage({ filename: join(config.dataDir, 'im-chat.sqlite'), countStatements });
  try {
    await storage.migrate();
    const scaleOut = config.redis && (await connectRedis({ ...config.redis, clock: systemClock }));
    const server = createServer({
      storage,
      auth: createJwtAuthenticator({ secret: Buffer.from(config.secretHex, 'hex') }),
      rateLimit: config.rateLimit,
      sendRateLimit: config.rateLimit,
      uploadRateLimit: config.rateLimit,
      // The load comes from this one machine: thousands of sockets from one address.
      connectionLimits: { perUser: 100, perAddress: Number.MAX_SAFE_INTEGER },
      // The upload benchmark sends more than one user may keep unsent; the quota is not what it measures.
      files: {
        store: new DiskBlobStore(join(config.dataDir, 'files')),
        quotaBytes: Number.MAX_SAFE_INTEGER,
        unsentMaxBytes: Number.MAX_SAFE_INTEGER,
      },
      scaleOut,
    });
    const { port } = await server.listen({ port: 0, host: '127.0.0.1' });
    return {
      port,
      statements: () => storage.statementCount(),
      async close() {
        await server.close();
        await scaleOut?.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
});
