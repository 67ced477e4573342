/**
 * Several real server processes (src/server/main.ts) on their own ports, sharing one
 * PostgreSQL schema, one Redis key prefix and one data directory (uploads), as a site
 * that scaled out runs them behind its load balancer.
 */
import { randomBytes } from 'node:crypto';
import { connectClient, type TestClient } from './client.js';
import { ServerProcess } from './server-process.js';
import { createRedisPrefix, createTestSchema, databaseUrl, redisUrl } from './services.js';
import { createTempDir, type TempDir } from './temp-dir.js';
import { mintToken } from './tokens.js';

export class Cluster {
  readonly secret = randomBytes(24).toString('base64url');
  readonly #clients = new Set<TestClient>();

  private constructor(
    readonly processes: ServerProcess[],
    readonly dataDir: TempDir,
    private readonly cleanups: (() => Promise<void>)[],
  ) {}

  /**
   * `extraEnv`: settings of every process besides those linking them; `envOf(index)`:
   * settings of one process only (its own route to Redis, say).
   */
  static async start(
    size: number,
    extraEnv: Record<string, string> = {},
    envOf: (index: number) => Record<string, string> = () => ({}),
  ): Promise<Cluster> {
    const schema = await createTestSchema();
    const redis = createRedisPrefix();
    const dataDir = await createTempDir();
    const cluster = new Cluster([], dataDir, [() => schema.drop(), () => redis.clear(), () => dataDir.remove()]);
    const env = {
      IM_JWT_SECRET: cluster.secret,
      IM_DATABASE_URL: databaseUrl,
      IM_DATABASE_SCHEMA: schema.schema,
      IM_REDIS_URL: redisUrl,
      IM_REDIS_PREFIX: redis.prefix,
      ...extraEnv,
    };
    try {
      // One after the other: the first one migrates the schema.
      for (let index = 0; index < size; index++) {
        cluster.processes.push(
          await ServerProcess.start({ dataDir: dataDir.path, env: { ...env, ...envOf(index) } }),
        );
      }
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  token(sub: string): Promise<string> {
    return mintToken(new TextEncoder().encode(this.secret), { sub, name: sub[0]!.toUpperCase() + sub.slice(1) });
  }

  /** A client of `sub` connected to process `index`; closed with the cluster. */
  async connect(index: number, sub: string): Promise<TestClient> {
    const client = await connectClient(this.processes[index]!.url, await this.token(sub));
    this.#clients.add(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.close();
    this.#clients.clear();
    await Promise.all(this.processes.map((process) => process.kill()));
    for (const cleanup of this.cleanups) await cleanup();
  }
}
