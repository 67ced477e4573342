import type { ReactiveController, ReactiveElement } from 'lit';
import type { ChatClient, PresenceWatch } from '../../client/index.js';
import type { Presence } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';

export interface PresenceControllerOptions {
  client: () => ChatClient | undefined;
  /** The people the host shows. */
  userIds?: () => readonly string[];
  /**
   * Or: the people of the host's rows that are in view, i.e. the elements of its shadow
   * root that carry `data-presence-id`. A long list then watches only what shows.
   */
  visibleRows?: boolean;
  /** Re-render every minute, for "last seen 5 minutes ago". */
  ticking?: boolean;
}

const rowSelector = '[data-presence-id]';

/**
 * Keeps a component in step with the presence of the people it shows: holds a watch on
 * the client with them, and requests an update when one of them comes or goes.
 *
 * @example
 * #presence = new PresenceController(this, {
 *   client: () => this.client,
 *   userIds: () => (this.peerId ? [this.peerId] : []),
 * });
 * render() { return html`<im-avatar ?online=${this.#presence.online(this.peerId)}>`; }
 */
export class PresenceController implements ReactiveController {
  #client: ChatClient | undefined;
  #watch: PresenceWatch | null = null;
  #watched = new Set<string>();
  #unsubscribe: Array<() => void> = [];
  #observer: IntersectionObserver | null = null;
  readonly #observed = new Set<Element>();
  readonly #inView = new Set<Element>();
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: PresenceControllerOptions,
  ) {
    host.addController(this);
  }

  /** What is known of the user: undefined while unknown (not watched yet, offline). */
  get(userId: string): Presence | undefined {
    return this.#client?.presence.get(userId);
  }

  online(userId: string): boolean {
    return this.get(userId)?.online === true;
  }

  hostConnected(): void {
    if (this.options.visibleRows) {
      this.#observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) this.#inView.add(entry.target);
          else this.#inView.delete(entry.target);
        }
        this.#syncWatch();
      });
    }
    if (this.options.ticking) this.#ticker = setInterval(() => this.host.requestUpdate(), 60_000);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#observed.clear();
    this.#inView.clear();
    clearInterval(this.#ticker);
    this.#useClient(undefined);
  }

  hostUpdated(): void {
    this.#useClient(this.options.client());
    if (this.#observer) this.#observeRows(this.#observer);
    this.#syncWatch();
  }

  #useClient(client: ChatClient | undefined): void {
    if (client === this.#client) return;
    this.#watch?.release();
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#client = client;
    this.#watch = client?.presence.watch() ?? null;
    this.#watched = new Set();
    this.#unsubscribe = client
      ? [
          client.on('presence', ({ userId }) => {
            if (this.#watched.has(userId)) this.host.requestUpdate();
          }),
          // Presence is forgotten while offline, and learnt again after.
          client.on('status', () => this.host.requestUpdate()),
        ]
      : [];
  }

  #observeRows(observer: IntersectionObserver): void {
    const rows = new Set(this.host.renderRoot.querySelectorAll(rowSelector));
    for (const row of this.#observed) {
      if (rows.has(row)) continue;
      observer.unobserve(row);
      this.#observed.delete(row);
      this.#inView.delete(row);
    }
    for (const row of rows) {
      if (this.#observed.has(row)) continue;
      observer.observe(row);
      this.#observed.add(row);
    }
  }

  #syncWatch(): void {
    const ids = this.options.visibleRows
      ? [...this.#inView].map((row) => row.getAttribute('data-presence-id')!)
      : (this.options.userIds?.() ?? []);
    this.#watched = new Set(ids);
    this.#watch?.update(this.#watched);
  }
}

/** "Online", "Last seen 5 minutes ago", "Last seen on 3 Mar 2025"; empty when unknown. */
export function describePresence(presence: Presence | undefined, t: Translator, now = Date.now()): string {
  if (!presence) return '';
  if (presence.online) return t.t('presence.online');
  if (presence.lastSeenAt === null) return '';
  const minutes = Math.floor((now - presence.lastSeenAt) / 60_000);
  if (minutes < 1) return t.t('presence.lastSeenJustNow');
  const when =
    minutes < 60 ? t.relativeTime(-minutes, 'minute')
    : minutes < 24 * 60 ? t.relativeTime(-Math.floor(minutes / 60), 'hour')
    : minutes < 7 * 24 * 60 ? t.relativeTime(-Math.floor(minutes / (24 * 60)), 'day')
    : null;
  return when === null
    ? t.t('presence.lastSeenOn', { date: t.day(presence.lastSeenAt, now) })
    : t.t('presence.lastSeen', { when });
}
