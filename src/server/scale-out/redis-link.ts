/**
 * The server's link to Redis when several processes share the load: the socket.io Redis
 * adapter (a message broadcast on one process reaches the members connected to the
 * others), presence counted across processes, shared rate limits, and news of
 * membership changes for the other processes' caches.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Clock } from '../clock.js';
import type { PresenceTracker } from '../presence.js';
import type { KeyedLimiter, RateLimitOptions } from '../rate-limit.js';
import { RedisPresenceTracker } from './redis-presence.js';
import { RedisKeyedRateLimit } from './redis-rate-limit.js';

export type RedisClient = ReturnType<typeof newClient>;

/** What createServer needs of a scale-out link; Redis is the one implementation. */
export interface ScaleOut {
  /** The socket.io adapter that fans events out to the other processes. */
  readonly adapter: ReturnType<typeof createAdapter>;
  readonly presence: PresenceTracker;
  rateLimit(name: string, options: RateLimitOptions): KeyedLimiter;
  /** False while the link is down: commands are refused then, rather than half done. */
  available(): boolean;
  /**
   * Called each time the link is back after an outage: news from the other processes
   * may have been missed, and if `relayLost`, some of this process's news did not reach
   * them either.
   */
  onReconnect(listener: (outage: { relayLost: boolean }) => void): void;
  close(): Promise<void>;
}

export interface RedisLinkOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Prefix of every key and channel, so that several deployments can share one Redis. */
  prefix: string;
  clock: Clock;
  /** Connection problems, as they happen (the link retries by itself). */
  onError?: (error: Error) => void;
}

const connectTimeoutMs = 5_000;
// Retrying sooner gains nothing; retrying later delays the recovery.
const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2_000);

/**
 * Connects the two clients the adapter needs (one publishes and runs commands, one
 * listens) and builds the scale-out parts on them. Rejects if Redis cannot be reached
 * at start: a process that cannot fan out must not take connections.
 *
 * @example
 * const link = await connectRedis({ url: 'redis://127.0.0.1:6379', prefix: 'im-chat', clock });
 * const server = createServer({ storage, auth, scaleOut: link });
 */
export async function connectRedis(options: RedisLinkOptions): Promise<ScaleOut> {
  const commands = newClient(options.url);
  const listener = newClient(options.url);
  for (const client of [commands, listener]) {
    // Without a listener, an error event would end the process.
    client.on('error', (error: Error) => options.onError?.(error));
  }
  try {
    await Promise.all([commands.connect(), listener.connect()]);
  } catch (error) {
    commands.destroy();
    listener.destroy();
    throw new Error(`cannot reach Redis at ${redactUrl(options.url)}: ${(error as Error).message}`);
  }
  return new RedisLink(commands, listener, options);
}

function newClient(url: string) {
  return createClient({
    url,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: reconnectDelay },
  });
}

class RedisLink implements ScaleOut {
  readonly adapter: ReturnType<typeof createAdapter>;
  readonly presence: RedisPresenceTracker;
  readonly #reconnectListeners: ((outage: { relayLost: boolean }) => void)[] = [];
  /** Either client lost its connection since the link was last whole. */
  #broken = false;
  /** A publish failed, or was queued while the link was broken, since it was last whole. */
  #relayLost = false;

  constructor(
    private readonly commands: RedisClient,
    private readonly listener: RedisClient,
    private readonly options: RedisLinkOptions,
  ) {
    // The adapter drops the promise of each publish: one that fails must be reported, not
    // left unhandled, and remembered, since the other processes never got it.
    const publish = commands.publish.bind(commands);
    Object.defineProperty(commands, 'publish', {
      value: (channel: string, message: string) => {
        // Queued while offline, it may reach Redis before the others listen again.
        if (!this.available()) this.#relayLost = true;
        return publish(channel, message).catch((error: Error) => {
          this.#relayLost = true;
          options.onError?.(error);
          return 0;
        });
      },
    });
    this.adapter = createAdapter(commands, listener, { key: `${options.prefix}:socket.io` });
    this.presence = new RedisPresenceTracker({ redis: commands, prefix: options.prefix, clock: options.clock });
    for (const client of [commands, listener]) {
      for (const lost of ['error', 'reconnecting']) {
        client.on(lost, () => {
          this.#broken = true;
        });
      }
      // 'ready' fires after every (re)connection, once the listener has subscribed again;
      // the first one happened before this. Listeners hear once per outage, when both are back.
      client.on('ready', () => {
        if (!this.#broken || !this.available()) return;
        const outage = { relayLost: this.#relayLost };
        this.#broken = false;
        this.#relayLost = false;
        for (const notify of this.#reconnectListeners) notify(outage);
      });
    }
  }

  rateLimit(name: string, limit: RateLimitOptions): KeyedLimiter {
    return new RedisKeyedRateLimit(this.commands, `${this.options.prefix}:rate:${name}`, limit, this.options.clock);
  }

  available(): boolean {
    return this.commands.isReady && this.listener.isReady;
  }

  onReconnect(listener: (outage: { relayLost: boolean }) => void): void {
    this.#reconnectListeners.push(listener);
  }

  async close(): Promise<void> {
    this.presence.stop();
    for (const client of [this.listener, this.commands]) {
      if (client.isReady) await client.close();
      else client.destroy();
    }
  }
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
