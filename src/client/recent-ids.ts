/** The latest ids seen, to tell a first sighting from a repeat without growing for ever. */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True the first time `id` is seen (among the latest `capacity` ids). */
  firstSighting(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) this.#ids.delete(this.#ids.values().next().value!);
    return true;
  }
}
