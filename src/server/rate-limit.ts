import type { Clock } from './clock.js';

export interface RateLimitOptions {
  /** Events allowed in a burst. */
  capacity: number;
  /** Sustained events per second. */
  refillPerSecond: number;
}

export const defaultRateLimit: RateLimitOptions = { capacity: 40, refillPerSecond: 20 };

/** Sends per user, whatever number of connections they spread them over: as much as one connection gets. */
export const defaultSendRateLimit: RateLimitOptions = { capacity: 40, refillPerSecond: 20 };

/** Uploads per user: a handful of files at once, not a disk filled in seconds. */
export const defaultUploadRateLimit: RateLimitOptions = { capacity: 20, refillPerSecond: 1 };
/**
 * Catch-up reads (`conversation:sync`, `message:history`) per connection, apart from the
 * budget above: a device back from a night offline pages through every conversation that
 * moved at once, and must not be told to wait, nor use up what it needs to send.
 */
export const defaultCatchUpRateLimit: RateLimitOptions = { capacity: 500, refillPerSecond: 50 };

/** Invite codes tried per user: enough for people, far too few to guess 192 bits. */
export const defaultInviteRateLimit: RateLimitOptions = { capacity: 20, refillPerSecond: 1 / 6 };

/** A token bucket; time comes from the clock, so tests need no sleeps. */
export class TokenBucket {
  #tokens: number;
  #refilledAt: number;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {
    this.#tokens = options.capacity;
    this.#refilledAt = clock.now();
  }

  /** Takes one token: returns 0 when allowed, else the milliseconds until one is available. */
  take(): number {
    const now = this.clock.now();
    const elapsedSeconds = Math.max(0, now - this.#refilledAt) / 1000;
    this.#tokens = Math.min(
      this.options.capacity,
      this.#tokens + elapsedSeconds * this.options.refillPerSecond,
    );
    this.#refilledAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.#tokens) / this.options.refillPerSecond) * 1000));
  }

  /** Refilled to capacity by now: forgetting this bucket would change nothing. */
  isFull(): boolean {
    const elapsedSeconds = Math.max(0, this.clock.now() - this.#refilledAt) / 1000;
    return this.#tokens + elapsedSeconds * this.options.refillPerSecond >= this.options.capacity;
  }
}

/**
 * A token bucket per key (a user id): many connections of one user share one limit. In
 * memory for one process; shared by several in Redis (scale-out/redis-rate-limit.ts).
 */
export interface KeyedLimiter {
  /** Like `TokenBucket.take`, for this key's bucket. */
  take(key: string): Promise<number>;
}

// Past this many buckets, full ones are dropped before another is added.
const keyedBucketsSweepAt = 10_000;

export class KeyedRateLimit implements KeyedLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: Clock,
  ) {}

  async take(key: string): Promise<number> {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= keyedBucketsSweepAt) this.#sweep();
      bucket = new TokenBucket(this.options, this.clock);
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }

  #sweep(): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.isFull()) this.#buckets.delete(key);
    }
  }
}
