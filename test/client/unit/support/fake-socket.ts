import type { Ack } from '../../../../src/protocol/index.js';

type Listener = (...args: never[]) => void;

export type AckReply = (reply: Ack<unknown>) => void;

/** What the stand-in server does with a socket the client opened. */
export interface SocketServer {
  /** The client asked to connect; `token` is what its handshake carries. */
  handshake(socket: FakeSocket, token: string): void;
  /** The client sent a command. */
  command(socket: FakeSocket, event: string, payload: unknown, ack: AckReply): void;
}

/**
 * Stands in for socket.io-client's Socket: the part of it the client uses, with the
 * network replaced by calls into a `SocketServer`. Replies and events reach the client
 * in a later task, as they would over a network.
 */
export class FakeSocket {
  connected = false;
  /** True between `connect()` and `disconnect()`: socket.io's "keeps trying". */
  active = false;
  sendBuffer: unknown[] = [];
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly server: SocketServer,
    private readonly auth: (callback: (auth: { token: string }) => void) => void,
  ) {}

  on(event: string, listener: Listener): this {
    let listeners = this.#listeners.get(event);
    if (!listeners) this.#listeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, payload: unknown, ack: AckReply): this {
    if (this.connected) this.server.command(this, event, payload, (reply) => later(() => ack(reply)));
    return this;
  }

  connect(): this {
    this.active = true;
    this.auth(({ token }) => later(() => this.server.handshake(this, token)));
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    this.active = false;
    this.connected = false;
    if (wasConnected) this.#fire('disconnect', 'io client disconnect');
    return this;
  }

  // ---- what the server side does ----

  /** The handshake succeeded: the client is connected. */
  open(): void {
    this.connected = true;
    this.#fire('connect');
  }

  /** The connection broke (socket.io keeps trying to reconnect). */
  drop(): void {
    if (!this.connected) return;
    this.connected = false;
    this.#fire('disconnect', 'transport close');
  }

  /** An event from the server. */
  send(event: string, payload: unknown): void {
    later(() => this.#fire(event, payload));
  }

  /** Resolves once the client has been handed every event sent so far. */
  delivered(): Promise<void> {
    return new Promise((resolve) => later(resolve));
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** After the current task, like a network round trip (but without waiting for any time). */
function later(callback: () => void): void {
  setTimeout(callback, 0);
}
