import type { Clock } from '../../../src/server/clock.js';

/** A clock the test moves by hand; it starts at the real time so that tokens verify. */
export function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.now();
  return { now: () => now, advance: (ms) => (now += ms) };
}
