/**
 * The base of the UI's view models: plain objects that hold what an element shows and
 * decide what the user's actions do, with no DOM, so that they are tested without a
 * browser. Elements render them and call their methods; a {@link ViewModelController}
 * re-renders an element when its view model says it changed.
 */
export class ViewModel {
  readonly #listeners = new Set<() => void>();

  /** Calls `listener` after each change, until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  protected changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/** The time and the timers a view model uses, so that tests move time by hand. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};
