/**
 * Runs the reference server: reads the environment, opens storage, listens.
 * `tsx src/server/main.ts [--demo]`; the settings are listed at `readConfig`.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJwtAuthenticator } from './auth/jwt-authenticator.js';
import { ConfigError, readConfig, type ServerConfig } from './config.js';
import { createServer, type ImChatServer } from './create-server.js';
import { createDemoMode, demoSupportName, loadOrCreateDemoSecret } from './demo.js';
import { DiskBlobStore } from './files/disk-blob-store.js';
import { connectRedis, type ScaleOut } from './scale-out/redis-link.js';
import { PostgresStorage } from './storage/postgres/postgres-storage.js';
import { openSqliteWorkerStorage } from './storage/sqlite/worker/sqlite-worker-storage.js';
import type { Storage } from './storage/storage.js';
import { systemClock } from './clock.js';

// The published package carries the widget's files and the demo pages beside its bundle
// (see pack.ts); in the repository they are at its root.
const bundled = fileURLToPath(new URL('./widget/', import.meta.url));
const packaged = existsSync(bundled);
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const widgetDir = packaged ? bundled : join(repositoryRoot, 'dist');
const demoDir = packaged ? fileURLToPath(new URL('./demo/', import.meta.url)) : join(repositoryRoot, 'demo');

async function main(): Promise<void> {
  const config = readConfig(process.env, process.argv.slice(2));
  await mkdir(config.dataDir, { recursive: true });
  const storage = openStorage(config);
  let scaleOut: ScaleOut | undefined;
  let server: ImChatServer;
  try {
    await storage.migrate().catch((error: unknown) => {
      // A database that cannot be reached is the operator's to fix: a message, no stack.
      throw config.database ? new ConfigError((error as Error).message) : error;
    });
    scaleOut = config.redis ? await linkProcesses(config.redis) : undefined;
    server = await start(config, storage, scaleOut);
  } catch (error) {
    await scaleOut?.close();
    await storage.close();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  const shutdown = () => {
    stopping ??= server
      .close()
      .then(() => scaleOut?.close())
      .then(() => storage.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('im-chat: shutdown failed', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function openStorage(config: ServerConfig): Storage {
  if (!config.database) {
    return openSqliteWorkerStorage({
      filename: join(config.dataDir, 'im-chat.sqlite'),
      onFailure: (error) => {
        console.error(`im-chat: ${error.message}; exiting`);
        process.exit(1);
      },
    });
  }
  return new PostgresStorage({
    connectionString: config.database.url,
    schema: config.database.schema,
    onIdleError: (error) => console.error(`im-chat: a PostgreSQL connection failed: ${error.message}`),
  });
}

async function linkProcesses(redis: NonNullable<ServerConfig['redis']>): Promise<ScaleOut> {
  let down = false;
  const link = await connectRedis({
    ...redis,
    clock: systemClock,
    // Once per outage: the link retries by itself, and says when it is back.
    onError: (error) => {
      if (!down) console.error(`im-chat: lost Redis, retrying: ${error.message}`);
      down = true;
    },
  }).catch((error: unknown) => {
    throw new ConfigError((error as Error).message);
  });
  link.onReconnect(() => {
    if (down) console.error('im-chat: Redis is back');
    down = false;
  });
  return link;
}

async function start(
  config: ServerConfig,
  storage: Storage,
  scaleOut: ScaleOut | undefined,
): Promise<ImChatServer> {
  const demoSecret = config.demo
    ? (config.jwtSecret ?? (await loadOrCreateDemoSecret(config.dataDir)))
    : null;
  const secret = config.jwtSecret ?? demoSecret;
  const { issuer, audience } = config;
  const server = createServer({
    storage,
    auth: createJwtAuthenticator({
      secret: secret ?? undefined,
      jwksUrl: config.jwksUrl ?? undefined,
      issuer,
      audience,
      clockToleranceSeconds: config.clockToleranceSeconds,
    }),
    admin: { apiKeys: config.adminApiKeys, hmacSecret: config.adminHmacSecret },
    allowedOrigins: config.allowedOrigins,
    demo: demoSecret ? createDemoMode({ secret: demoSecret, issuer, audience }) : undefined,
    demoDir: config.demo ? demoDir : undefined,
    distDir: widgetDir,
    files: {
      store: new DiskBlobStore(join(config.dataDir, 'files')),
      maxBytes: config.fileMaxBytes,
      allowedTypes: config.fileTypes ?? undefined,
      quotaBytes: config.uploadQuotaBytes,
      unsentMaxBytes: config.unsentUploadMaxBytes,
      unsentTtlMs: config.unsentUploadTtlMs,
    },
    push: config.push,
    sendRateLimit: config.sendRateLimit,
    connectionLimits: config.connectionLimits,
    support:
      config.demo && !process.env['IM_SUPPORT_NAME']
        ? { ...config.support, name: demoSupportName }
        : config.support,
    logger: { level: config.logLevel },
    scaleOut,
  });
  if (config.demo) console.warn(demoWarning(config.host));
  try {
    const { url } = await server.listen({ port: config.port, host: config.host });
    console.log(`im-chat server listening on ${url}`);
    if (config.demo) console.log(`Demo: ${url}`);
    return server;
  } catch (error) {
    await server.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      const where = `port ${config.port} on ${config.host}`;
      throw new ConfigError(`${where} is already in use (set IM_PORT)`);
    }
    throw error;
  }
}

/** Demo mode hands out tokens to whoever asks: say who can reach the server. */
function demoWarning(host: string): string {
  const tokens = 'anyone who can reach the server can get tokens for the demo users';
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) {
    return `Demo mode: only this machine can connect (bound to ${host}; IM_HOST=0.0.0.0 lets other devices in, and ${tokens}).`;
  }
  return `Warning: demo mode on ${host}: ${tokens}.`;
}

main().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: a message, no stack.
  const message = error instanceof Error ? error.message : String(error);
  console.error(`im-chat: ${message}`);
  if (!(error instanceof ConfigError)) console.error(error);
  process.exit(1);
});
