export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Collects the operations submitted in one event-loop turn and hands them to `commit` as
 * one batch, so a burst of messages costs one durable commit instead of one each.
 * `commit` runs synchronously and settles each input on its own; if it throws, the whole
 * batch failed and every caller is rejected. Promises settle only after `commit` returns.
 */
export class GroupCommit<I, O> {
  #pending: Pending<I, O>[] = [];
  #scheduled: NodeJS.Immediate | null = null;

  constructor(private readonly commit: (inputs: I[]) => Settled<O>[]) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits what is pending now; used by the scheduler and before closing. */
  flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let results: Settled<O>[];
    try {
      results = this.commit(batch.map((item) => item.input));
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const result = results[index];
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    });
  }
}
