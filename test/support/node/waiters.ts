/**
 * Waiting for something that is recorded as it arrives (events, requests): `until` looks
 * at once and again after each `notify()`, so what arrived before the wait counts too.
 */
export class Waiters {
  readonly #waiters = new Set<() => void>();

  /** Something new was recorded: every wait looks again. */
  notify(): void {
    for (const wake of this.#waiters) wake();
  }

  /** Resolves with the first value `find` returns that is not undefined; `bounded` adds the timeout. */
  until<T>(find: () => T | undefined, bounded: (found: Promise<T>) => Promise<T>): Promise<T> {
    let wake: () => void = () => {};
    const found = new Promise<T>((resolve) => {
      wake = () => {
        const value = find();
        if (value !== undefined) resolve(value);
      };
      this.#waiters.add(wake);
      wake();
    });
    return bounded(found).finally(() => this.#waiters.delete(wake));
  }
}
