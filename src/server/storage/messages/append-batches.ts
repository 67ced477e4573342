export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Appends as both backends commit them: those submitted in one event-loop turn go to
 * `commit` as one batch, so a burst of messages costs one durable commit instead of one
 * each, and those that arrive while a batch commits make the next (at most `max` each).
 * `commit` settles each input on its own (a refusal stays the refused append's); if it
 * throws, the batch failed as a whole (a concurrent retry of the same clientId on another
 * process, say) and each input is committed again alone, so the failure stays alone and
 * leaves no gap. SQLite's `commit` is synchronous, PostgreSQL's is not.
 */
export class AppendBatches<I, O> {
  #pending: Pending<I, O>[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly commit: (inputs: I[]) => Settled<O>[] | Promise<Settled<O>[]>,
    private readonly max = Number.POSITIVE_INFINITY,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Waits until every append submitted so far has settled (before closing). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // Let the appends of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.max);
      const results = await this.#commitEach(batch.map((item) => item.input));
      batch.forEach((item, index) => {
        const result = results[index]!;
        if (result.ok) item.resolve(result.value);
        else item.reject(result.error);
      });
    }
    this.#running = null;
  }

  async #commitEach(inputs: I[]): Promise<Settled<O>[]> {
    try {
      return await this.commit(inputs);
    } catch (error) {
      if (inputs.length === 1) return [{ ok: false, error }];
    }
    return Promise.all(
      inputs.map(async (input): Promise<Settled<O>> => {
        try {
          return (await this.commit([input]))[0]!;
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }
}
