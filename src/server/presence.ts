import type { BackgroundWork } from './background.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Presence as PresenceState } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { FanOut } from './fan-out/fan-out.js';
import type { StorageAreas } from './storage/area.js';
import type { ImSocket } from './types.js';

/**
 * Who is connected, counted per connection. The in-memory tracker serves one process; a
 * tracker shared by several processes (e.g. a Redis set of connection ids per user, with
 * expiring entries per process) implements the same interface, hence the promises.
 */
export interface PresenceTracker {
  /** Counts a connection; resolves true if it is the user's first (they came online). */
  add(userId: string, connectionId: string): Promise<boolean>;
  /** Stops counting a connection; resolves true if it was the user's last (they went offline). */
  remove(userId: string, connectionId: string): Promise<boolean>;
  /** The users among `userIds` with at least one connection. */
  onlineAmong(userIds: Iterable<string>): Promise<Set<string>>;
}

export class MemoryPresenceTracker implements PresenceTracker {
  readonly #connections = new Map<string, Set<string>>();

  async add(userId: string, connectionId: string): Promise<boolean> {
    let connections = this.#connections.get(userId);
    if (!connections) this.#connections.set(userId, (connections = new Set()));
    connections.add(connectionId);
    return connections.size === 1;
  }

  async remove(userId: string, connectionId: string): Promise<boolean> {
    const connections = this.#connections.get(userId);
    if (!connections?.delete(connectionId)) return false;
    if (connections.size > 0) return false;
    this.#connections.delete(userId);
    return true;
  }

  async onlineAmong(userIds: Iterable<string>): Promise<Set<string>> {
    const online = new Set<string>();
    for (const userId of userIds) if (this.#connections.has(userId)) online.add(userId);
    return online;
  }
}

export interface PresenceOptions {
  fanOut: FanOut;
  storage: Pick<StorageAreas, 'presence'>;
  clock: Clock;
  logger: FastifyBaseLogger;
  tracker?: PresenceTracker;
  /** Where its updates run, so that a shutdown waits for them. */
  background: BackgroundWork;
  /** The user's last connection ended (and they did not come back meanwhile). */
  onOffline?: (userId: string, lastSeenAt: number) => Promise<void>;
}

/**
 * Presence: counts each user's connections, tells the watchers of a user when they come
 * online or go offline, and records when their last connection ended.
 */
export class Presence {
  readonly #tracker: PresenceTracker;
  readonly #listeners = new Set<(presence: PresenceState) => void>();

  constructor(private readonly options: PresenceOptions) {
    this.#tracker = options.tracker ?? new MemoryPresenceTracker();
  }

  connected(socket: ImSocket): void {
    const userId = socket.data.user.id;
    this.#track(userId, async () => {
      if (!(await this.#tracker.add(userId, socket.id))) return;
      this.#announce({ userId, online: true, lastSeenAt: null });
    });
  }

  disconnected(socket: ImSocket): void {
    const userId = socket.data.user.id;
    this.#track(userId, async () => {
      if (!(await this.#tracker.remove(userId, socket.id))) return;
      const lastSeenAt = this.options.clock.now();
      await this.options.storage.presence.write.setLastSeen(userId, lastSeenAt);
      // Back already (a reload): the watchers heard "online" and keep it.
      if (await this.isOnline(userId)) return;
      this.#announce({ userId, online: false, lastSeenAt });
      await this.options.onOffline?.(userId, lastSeenAt);
    });
  }

  async isOnline(userId: string): Promise<boolean> {
    return (await this.#tracker.onlineAmong([userId])).has(userId);
  }

  onlineAmong(userIds: Iterable<string>): Promise<Set<string>> {
    return this.#tracker.onlineAmong(userIds);
  }

  /** The presence of each of `userIds`, in that order. */
  async of(userIds: readonly string[]): Promise<PresenceState[]> {
    const online = await this.onlineAmong(userIds);
    const offline = userIds.filter((userId) => !online.has(userId));
    const lastSeen = await this.options.storage.presence.read.lastSeen(offline);
    return userIds.map((userId) =>
      online.has(userId)
        ? { userId, online: true, lastSeenAt: null }
        : { userId, online: false, lastSeenAt: lastSeen.get(userId) ?? null },
    );
  }

  /** Of `userIds`, those who share a conversation with `userId`: the people they may watch. */
  watchableBy(userId: string, userIds: readonly string[]): Promise<string[]> {
    return this.options.storage.presence.read.sharingConversation(userId, userIds);
  }

  /** Calls `listener` whenever someone comes online or goes offline; returns the unsubscribe. */
  onChange(listener: (presence: PresenceState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #announce(presence: PresenceState): void {
    this.options.fanOut.presence(presence);
    for (const listener of this.#listeners) listener(presence);
  }

  #track(userId: string, work: () => Promise<void>): void {
    void this.options.background.run(work()).catch((error: unknown) =>
      this.options.logger.error({ err: error, userId }, 'presence update failed'),
    );
  }
}
