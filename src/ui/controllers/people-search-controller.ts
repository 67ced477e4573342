import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatError, type ChatClient } from '../../client/index.js';
import type { User } from '../../protocol/index.js';

/**
 * Finds people on the server as the user types: waits for a pause in typing, and keeps
 * only the answer to the latest query (an older, slower answer is dropped).
 *
 * @example
 * #people = new PeopleSearchController(this, () => this.client);
 * // <input @input=${(e) => this.#people.schedule(e.target.value)}>
 */
export class PeopleSearchController implements ReactiveController {
  results: User[] = [];
  /** The error code of the last search, or null. */
  error: string | null = null;
  /** At least one search has answered. */
  searched = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: () => ChatClient | undefined,
    private readonly pauseMs = 200,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Searches once typing pauses. */
  schedule(query: string): void {
    this.cancel();
    this.#timer = setTimeout(() => void this.run(query), this.pauseMs);
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }

  /** Searches now; an empty query lists people from the start. */
  async run(query: string): Promise<void> {
    const search = ++this.#latest;
    try {
      const users = (await this.client()?.searchUsers(query.trim())) ?? [];
      if (search !== this.#latest) return;
      this.results = users;
      this.error = null;
    } catch (error) {
      if (search !== this.#latest) return;
      this.results = [];
      this.error = error instanceof ChatError ? error.code : 'unknown';
    }
    this.searched = true;
    this.host.requestUpdate();
  }
}
