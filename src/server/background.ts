/**
 * Work that goes on after its cause has answered: commands in flight, presence news,
 * support routing, pushes. A server that stops waits for it before storage closes, so
 * that nothing acknowledged is cut short and nothing fails against closed storage.
 */
export class BackgroundWork {
  readonly #pending = new Set<Promise<unknown>>();

  /** Keeps `work` until it settles; its outcome stays the caller's to handle. */
  run<T>(work: Promise<T>): Promise<T> {
    const pending = this.#pending;
    pending.add(work);
    // Unnamed callbacks: this runs for every command, and the TypeScript loader the server
    // runs under gives each named function it creates its name with a call of its own.
    work.then(
      () => pending.delete(work),
      () => pending.delete(work),
    );
    return work;
  }

  /** Resolves once nothing is pending, work started meanwhile included. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
