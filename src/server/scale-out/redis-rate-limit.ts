import type { Clock } from '../clock.js';
import type { KeyedLimiter, RateLimitOptions } from '../rate-limit.js';
import type { RedisClient } from './redis-link.js';

// The same token bucket as TokenBucket.take, kept in a Redis hash and changed atomically:
// returns 0 when a token was taken, else the milliseconds until one is there.
const takeScript = `
  local capacity = tonumber(ARGV[1])
  local refillPerMs = tonumber(ARGV[2])
  local now = tonumber(ARGV[3])
  local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
  local tokens = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  tokens = math.min(capacity, tokens + math.max(0, now - at) * refillPerMs)
  local wait = 0
  if tokens >= 1 then
    tokens = tokens - 1
  else
    wait = math.max(1, math.ceil((1 - tokens) / refillPerMs))
  end
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / refillPerMs))
  return wait`;

/**
 * A token bucket per key shared by every process: one user's tries count the same
 * whichever process their connections reach. A bucket's key expires once it would be
 * full again, so idle users cost nothing.
 */
export class RedisKeyedRateLimit implements KeyedLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly name: string,
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  async take(key: string): Promise<number> {
    const wait = await this.redis.eval(takeScript, {
      keys: [`${this.name}:${key}`],
      arguments: [
        String(this.options.capacity),
        String(this.options.refillPerSecond / 1000),
        String(this.clock.now()),
      ],
    });
    return Number(wait);
  }
}
