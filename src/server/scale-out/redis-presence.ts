import type { Clock } from '../clock.js';
import type { PresenceTracker } from '../presence.js';
import type { RedisClient } from './redis-link.js';

export interface RedisPresenceOptions {
  redis: RedisClient;
  /** Prefix of every key this process writes. */
  prefix: string;
  clock: Clock;
  /** How long a connection counts without being refreshed; default 60 s. */
  ttlMs?: number;
}

// Entries of a user's sorted set: connection id, scored by when it stops counting.
const addScript = `
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
  local before = redis.call('ZCARD', KEYS[1])
  local added = redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  if before == 0 and added == 1 then return 1 end
  return 0`;

const removeScript = `
  local removed = redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
  if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then return 1 end
  return 0`;

/**
 * Connections counted in Redis, so that every process sees who is online anywhere: a
 * sorted set per user of connection ids, each with an expiry that this process renews
 * for its own connections every third of `ttlMs`. The connections of a process that
 * died stop counting when their entries expire.
 */
export class RedisPresenceTracker implements PresenceTracker {
  readonly #local = new Map<string, string>();
  readonly #ttlMs: number;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly options: RedisPresenceOptions) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#timer = setInterval(() => void this.#renew(), this.#ttlMs / 3);
    this.#timer.unref();
  }

  async add(userId: string, connectionId: string): Promise<boolean> {
    this.#local.set(connectionId, userId);
    const now = this.options.clock.now();
    const first = await this.options.redis.eval(addScript, {
      keys: [this.#key(userId)],
      arguments: [connectionId, String(now), String(now + this.#ttlMs), String(this.#ttlMs)],
    });
    return first === 1;
  }

  async remove(userId: string, connectionId: string): Promise<boolean> {
    this.#local.delete(connectionId);
    const last = await this.options.redis.eval(removeScript, {
      keys: [this.#key(userId)],
      arguments: [connectionId, String(this.options.clock.now())],
    });
    return last === 1;
  }

  async onlineAmong(userIds: Iterable<string>): Promise<Set<string>> {
    const ids = [...new Set(userIds)];
    const now = this.options.clock.now();
    // Sent together: the client pipelines the commands of one turn.
    const counts = await Promise.all(
      ids.map((userId) => this.options.redis.zCount(this.#key(userId), `(${now}`, '+inf')),
    );
    return new Set(ids.filter((_, index) => counts[index]! > 0));
  }

  /** Stops renewing; the entries of this process expire unless it removed them. */
  stop(): void {
    clearInterval(this.#timer);
  }

  async #renew(): Promise<void> {
    const expiresAt = this.options.clock.now() + this.#ttlMs;
    const renewals = [...this.#local].map(([connectionId, userId]) =>
      this.options.redis
        .multi()
        .zAdd(this.#key(userId), { score: expiresAt, value: connectionId }, { XX: true })
        .pExpire(this.#key(userId), this.#ttlMs)
        .exec(),
    );
    // A renewal missed while Redis is away is made up by the next one.
    await Promise.allSettled(renewals);
  }

  #key(userId: string): string {
    return `${this.options.prefix}:presence:${userId}`;
  }
}
