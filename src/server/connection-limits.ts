import { CommandError } from './errors.js';

export interface ConnectionLimitOptions {
  /** Open connections of one user (tabs, devices) in this process. */
  perUser: number;
  /** Open connections from one client address in this process (a whole office behind NAT). */
  perAddress: number;
}

export const defaultConnectionLimits: ConnectionLimitOptions = { perUser: 20, perAddress: 500 };

/**
 * Counts the open connections per user and per address, so that one account or one
 * machine cannot hold thousands of sockets. A handshake reserves its place before the
 * connection opens; the place is given back when it closes.
 */
export class ConnectionLimits {
  readonly #byUser = new Map<string, number>();
  readonly #byAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionLimitOptions) {}

  /** Before authenticating: `rate_limited` when the address holds its share already. */
  checkAddress(address: string): void {
    if ((this.#byAddress.get(address) ?? 0) >= this.options.perAddress) {
      throw new CommandError('rate_limited', `too many connections from this address (at most ${this.options.perAddress})`);
    }
  }

  /** Takes a place for the user's new connection, or refuses with `rate_limited`. */
  reserve(userId: string, address: string): () => void {
    this.checkAddress(address);
    if ((this.#byUser.get(userId) ?? 0) >= this.options.perUser) {
      throw new CommandError(
        'rate_limited',
        `too many open connections for this user (at most ${this.options.perUser}); close a tab or device`,
      );
    }
    add(this.#byUser, userId, 1);
    add(this.#byAddress, address, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.#byUser, userId, -1);
      add(this.#byAddress, address, -1);
    };
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
