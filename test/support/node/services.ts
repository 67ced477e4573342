/**
 * The PostgreSQL and Redis that the scale-out tests use: the local ones by default
 * (`IM_TEST_DATABASE_URL`, `IM_TEST_REDIS_URL` point elsewhere). Every test run gets its
 * own schema and its own Redis key prefix, and removes them when done.
 *
 * Where a service cannot be reached (a laptop without them), the tests that need it are
 * skipped with a message saying so; under CI (`CI` set) that is an error instead, so a
 * broken service never passes for a green run.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { createClient } from 'redis';

// As the OS user, like psql: the local server's trust authentication takes it.
export const databaseUrl =
  process.env['IM_TEST_DATABASE_URL'] || `postgres://${userInfo().username}@127.0.0.1:5432/test`;
export const redisUrl = process.env['IM_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';

const probeTimeoutMs = 3000;

async function reachPostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: probeTimeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function reachRedis(): Promise<string | null> {
  const client = createClient({
    url: redisUrl,
    socket: { connectTimeout: probeTimeoutMs, reconnectStrategy: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    if (client.isOpen) await client.close();
  }
}

/**
 * Whether the services are there; prints why the tests that need them are skipped when
 * they are not, and throws under CI.
 *
 * @example
 * const services = await probeServices(['postgres']);
 * describe.skipIf(!services.available)('on PostgreSQL', () => { ... });
 */
export async function probeServices(
  needed: readonly ('postgres' | 'redis')[],
): Promise<{ available: boolean }> {
  const problems: string[] = [];
  if (needed.includes('postgres')) {
    const problem = await reachPostgres();
    if (problem) problems.push(`PostgreSQL at ${databaseUrl}: ${problem}`);
  }
  if (needed.includes('redis')) {
    const problem = await reachRedis();
    if (problem) problems.push(`Redis at ${redisUrl}: ${problem}`);
  }
  if (problems.length === 0) return { available: true };
  const message = `cannot reach ${problems.join('; ')}`;
  if (process.env['CI']) throw new Error(`${message} (CI must run the scale-out tests)`);
  console.warn(
    `Skipping the tests that need ${needed.join(' and ')}: ${message}. ` +
      'Set IM_TEST_DATABASE_URL / IM_TEST_REDIS_URL to run them.',
  );
  return { available: false };
}

/** A schema of its own for one test run (or one fixture), dropped with everything in it. */
export async function createTestSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `im_test_${randomBytes(6).toString('hex')}`;
  return {
    schema,
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A Redis key prefix of its own for one test run; `clear()` deletes its keys. */
export function createRedisPrefix(): { prefix: string; clear(): Promise<void> } {
  const prefix = `im-test-${randomBytes(6).toString('hex')}`;
  return {
    prefix,
    async clear() {
      const client = createClient({ url: redisUrl });
      client.on('error', () => {});
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
          if (keys.length > 0) await client.del(keys);
        }
      } finally {
        await client.close();
      }
    },
  };
}
