import type { Clock } from './clock.js';

export interface RateLimitOptions {
  /** Events allowed in a burst. */
  capacity: number;
  /** Sustained events per second. */
  refillPerSecond: number;
}

export const defaultRateLimit: RateLimitOptions = { capacity: 40, refillPerSecond: 20 };

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
}
