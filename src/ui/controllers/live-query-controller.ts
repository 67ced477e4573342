import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface LiveQueryOptions<T> {
  /** What to observe, or null to observe nothing (e.g. no cache yet). */
  query: () => (() => Promise<T>) | null;
  /** Re-subscribe when any of these change (compared with Object.is). */
  deps: () => readonly unknown[];
  /**
   * When this changes, the old value is dropped at once (another conversation);
   * otherwise it stays until the new query answers (a longer window of the same one).
   */
  key?: () => unknown;
}

/**
 * Keeps a component in step with a Dexie liveQuery: subscribes while connected,
 * re-subscribes when its dependencies change, and requests an update on every result.
 *
 * @example
 * #conversations = new LiveQueryController(this, {
 *   query: () => this.session.cache && (() => this.session.cache!.conversationList()),
 *   deps: () => [this.session.cache],
 * });
 */
export class LiveQueryController<T> implements ReactiveController {
  value: T | undefined = undefined;
  error: unknown = undefined;
  /** True once the current query has answered at least once. */
  settled = false;
  #subscription: Subscription | null = null;
  /** Identifies the current subscription, so results of a replaced one are ignored. */
  #generation = 0;
  #deps: readonly unknown[] | null = null;
  #key: unknown = undefined;
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: LiveQueryOptions<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    this.#deps = null; // subscribe on the next update
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe();
  }

  hostUpdate(): void {
    if (!this.#connected) return;
    const deps = this.options.deps();
    if (this.#deps && sameDeps(this.#deps, deps)) return;
    this.#deps = deps;
    const key = this.options.key?.();
    if (!Object.is(key, this.#key)) {
      this.#key = key;
      this.value = undefined;
    }
    this.#subscribe();
  }

  #subscribe(): void {
    this.#unsubscribe();
    this.settled = false;
    const querier = this.options.query();
    if (!querier) {
      this.value = undefined;
      return;
    }
    const generation = ++this.#generation;
    this.#subscription = liveQuery(querier).subscribe({
      next: (value) => {
        if (generation !== this.#generation) return;
        this.value = value;
        this.error = undefined;
        this.settled = true;
        this.host.requestUpdate();
      },
      error: (error) => {
        if (generation !== this.#generation) return;
        this.error = error;
        this.settled = true;
        this.host.requestUpdate();
      },
    });
  }

  #unsubscribe(): void {
    this.#generation++;
    this.#subscription?.unsubscribe();
    this.#subscription = null;
  }
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
