import type { Clock } from '../../../../src/client/clock.js';

interface Timer {
  at: number;
  callback: () => void;
}

/** A clock the test moves by hand: callbacks run only when `advance` passes their time. */
export class ManualClock implements Clock {
  #now = Date.parse('2030-01-01T09:00:00Z');
  readonly #timers = new Set<Timer>();
  readonly #watchers = new Set<() => void>();

  now(): number {
    return this.#now;
  }

  after(ms: number, callback: () => void): () => void {
    const timer = { at: this.#now + ms, callback };
    this.#timers.add(timer);
    for (const watcher of this.#watchers) watcher();
    return () => this.#timers.delete(timer);
  }

  /** Moves time on by `ms`, running every callback that falls due on the way, earliest first. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = [...this.#timers].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers.delete(due);
      this.#now = due.at;
      due.callback();
    }
    this.#now = until;
  }

  /**
   * Resolves once something is scheduled for exactly `at` (it may be already). Gives up
   * after a few seconds of real time, listing what is scheduled, for a test that went wrong.
   */
  scheduledAt(at: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const giveUp = setTimeout(() => {
        this.#watchers.delete(check);
        const scheduled = [...this.#timers].map((timer) => `+${timer.at - this.#now} ms`);
        reject(new Error(`Nothing scheduled at +${at - this.#now} ms; scheduled: ${scheduled.join(', ') || 'nothing'}`));
      }, 5_000);
      const check = () => {
        if (![...this.#timers].some((timer) => timer.at === at)) return;
        clearTimeout(giveUp);
        this.#watchers.delete(check);
        resolve();
      };
      this.#watchers.add(check);
      check();
    });
  }
}
