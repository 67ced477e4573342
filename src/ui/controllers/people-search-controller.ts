import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatError, LocalErrorCode, type ChatClient } from '../../client/index.js';
import type { User } from '../../protocol/index.js';

/**
 * Finds people on the server as the user types: waits for a pause in typing, and keeps
 * only the answer to the latest query (an older, slower answer is dropped). A search
 * made before the connection is up runs again by itself once the client is online.
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
  #query = '';
  #stopWaiting: (() => void) | null = null;

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

  /** Stops a scheduled search, and the wait for a connection to search again. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#stopWaiting?.();
    this.#stopWaiting = null;
  }

  /** Searches now; an empty query lists people from the start. */
  async run(query: string): Promise<void> {
    const search = ++this.#latest;
    this.#query = query;
    const client = this.client();
    try {
      const users = (await client?.searchUsers(query.trim())) ?? [];
      if (search !== this.#latest) return;
      this.results = users;
      this.error = null;
    } catch (error) {
      if (search !== this.#latest) return;
      this.results = [];
      this.error = error instanceof ChatError ? error.code : 'unknown';
      if (client && this.error === LocalErrorCode.Offline) this.#searchAgainWhenOnline(client);
    }
    this.searched = true;
    this.host.requestUpdate();
  }

  #searchAgainWhenOnline(client: ChatClient): void {
    this.#stopWaiting?.();
    const stop = client.on('status', (status) => {
      if (status !== 'online') return;
      stop();
      if (this.#stopWaiting === stop) this.#stopWaiting = null;
      void this.run(this.#query);
    });
    this.#stopWaiting = stop;
  }
}
