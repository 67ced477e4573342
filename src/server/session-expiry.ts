import type { Clock } from './clock.js';
import type { ImSocket } from './types.js';

// setTimeout cannot wait longer than this; longer sessions re-arm when it fires.
const longestTimeout = 2 ** 31 - 1;

/** Ends each session when its token expires, unless `auth:refresh` moved the expiry. */
export class SessionExpiry {
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly clock: Clock) {}

  /** (Re)arms the timer for `socket.data.expiresAt`. */
  schedule(socket: ImSocket): void {
    this.cancel(socket);
    const { expiresAt } = socket.data;
    if (expiresAt === null) return;
    const delay = expiresAt - this.clock.now();
    if (delay <= 0) {
      socket.disconnect(true);
      return;
    }
    const timer = setTimeout(() => this.schedule(socket), Math.min(delay, longestTimeout));
    timer.unref();
    this.#timers.set(socket.id, timer);
  }

  cancel(socket: ImSocket): void {
    clearTimeout(this.#timers.get(socket.id));
    this.#timers.delete(socket.id);
  }

  cancelAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
