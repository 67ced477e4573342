import { limits, type Presence } from '../protocol/index.js';
import type { Connection } from './connection.js';

/** The people one part of a UI shows; see `PresenceWatcher.watch`. */
export interface PresenceWatch {
  /** Replaces the people this watch covers. */
  update(userIds: Iterable<string>): void;
  /** Ends the watch. */
  release(): void;
}

/** Watch changes within this long go to the server as one `presence:watch` (e.g. while scrolling). */
const settleMs = 100;

/**
 * Who is online among the people a UI shows. Each part of the UI holds a watch with the
 * people it shows (the visible rows of a list, the peer of the open chat); the server
 * watches their union for this connection, again after every reconnect, and reports
 * changes as they happen. Only people who share a conversation with the user count.
 *
 * @example
 * const watch = client.presence.watch([peerId]);
 * client.on('presence', ({ userId, online }) => render(userId, online));
 * client.presence.get(peerId)?.online;
 * watch.release();
 */
export class PresenceWatcher {
  readonly #known = new Map<string, Presence>();
  readonly #watches = new Set<Set<string>>();
  /** The list the server has for this connection, or null after a (re)connect. */
  #sent: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Users whose presence changed while a watch request was on its way. */
  #changedMeanwhile: Set<string> | null = null;

  constructor(
    private readonly connection: Connection,
    private readonly emit: (presence: Presence) => void,
  ) {
    connection.on('presence', (presence) => {
      this.#changedMeanwhile?.add(presence.userId);
      this.#apply(presence);
    });
    connection.on('session:ready', () => {
      this.#sent = null;
      this.#schedule();
    });
  }

  /** What is known of a watched user now; undefined while unknown (offline, not allowed). */
  get(userId: string): Presence | undefined {
    return this.#known.get(userId);
  }

  /** Starts watching these people; change them with `update`, stop with `release`. */
  watch(userIds: Iterable<string> = []): PresenceWatch {
    const watched = new Set(userIds);
    this.#watches.add(watched);
    this.#schedule();
    return {
      update: (next) => {
        const ids = new Set(next);
        if (ids.size === watched.size && [...ids].every((id) => watched.has(id))) return;
        watched.clear();
        for (const id of ids) watched.add(id);
        this.#schedule();
      },
      release: () => {
        if (this.#watches.delete(watched)) this.#schedule();
      },
    };
  }

  /** The connection dropped: nothing known holds any more (the next session watches again). */
  clear(): void {
    this.#known.clear();
    this.#sent = null;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#send(), settleMs);
  }

  async #send(): Promise<void> {
    if (this.connection.state !== 'connected') return; // sent again on the next session
    const union = new Set<string>();
    for (const watched of this.#watches) for (const id of watched) union.add(id);
    const userIds = [...union].slice(0, limits.presenceWatchMax);
    const key = userIds.join('\n');
    if (key === this.#sent) return;
    this.#sent = key;
    const changed = new Set<string>();
    this.#changedMeanwhile = changed;
    try {
      const { presence } = await this.connection.request('presence:watch', { userIds });
      for (const userId of this.#known.keys()) if (!union.has(userId)) this.#known.delete(userId);
      for (const entry of presence) if (!changed.has(entry.userId)) this.#apply(entry);
    } catch {
      if (this.#sent === key) this.#sent = null; // offline or refused: the next session retries
    } finally {
      if (this.#changedMeanwhile === changed) this.#changedMeanwhile = null;
    }
  }

  #apply(presence: Presence): void {
    const known = this.#known.get(presence.userId);
    if (known?.online === presence.online && known.lastSeenAt === presence.lastSeenAt) return;
    this.#known.set(presence.userId, presence);
    this.emit(presence);
  }
}
