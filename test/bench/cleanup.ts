/** What a run holds open (processes, temp dirs), released on the normal path and on Ctrl-C alike. */
export class Cleanup {
  readonly #actions = new Set<() => Promise<void>>();

  /** Registers `action`; the returned function runs it at most once and forgets it. */
  add(action: () => Promise<void>): () => Promise<void> {
    const run = async () => {
      if (this.#actions.delete(run)) await action();
    };
    this.#actions.add(run);
    return run;
  }

  /** Runs every action still registered, newest first; one failing does not stop the rest. */
  async runAll(): Promise<void> {
    for (const run of [...this.#actions].reverse()) {
      await run().catch((error: unknown) => console.error('cleanup failed:', error));
    }
  }
}
