import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { expect } from 'vitest';
import { commands } from '../../../src/protocol/commands.js';
import type {
  Ack,
  ClientToServerEvents,
  CommandName,
  CommandPayload,
  CommandResult,
  ServerToClientEvents,
  Session,
} from '../../../src/protocol/index.js';
import { waitMs, withTimeout } from './wait.js';
import { Waiters } from './waiters.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEventName = keyof ServerToClientEvents;
type ServerEvent<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];

export interface ConnectOptions {
  transports?: ('websocket' | 'polling')[];
  /** HTTP headers of the handshake, e.g. an Origin. */
  headers?: Record<string, string>;
  /** The whole handshake auth object; default `{ token }`. */
  auth?: Record<string, unknown>;
}

/**
 * A real socket.io-client connection that records every server event, so a test can
 * wait for one that may already have arrived.
 */
export class TestClient {
  readonly received: { [E in ServerEventName]: ServerEvent<E>[] } = {
    'session:ready': [],
    'message:new': [],
    'message:played': [],
    'conversation:read': [],
    'join-request:new': [],
    'join-request:decided': [],
    'group:announcement-confirmed': [],
    'conversation:receipt': [],
    'conversation:changed': [],
    typing: [],
    presence: [],
    'support:changed': [],
    'support:availability': [],
    'sync:required': [],
    'user:block-changed': [],
  };
  readonly #waiters = new Waiters();

  constructor(readonly socket: ClientSocket) {
    const untyped = socket as unknown as Socket;
    for (const name of Object.keys(this.received) as ServerEventName[]) {
      untyped.on(name, (event: unknown) => {
        (this.received[name] as unknown[]).push(event);
        this.#waiters.notify();
      });
    }
  }

  get session(): Session {
    const session = this.received['session:ready'][0];
    if (!session) throw new Error('no session:ready yet');
    return session;
  }

  /** Sends a command and returns its ack, whatever it says. */
  command<E extends CommandName>(name: E, payload: CommandPayload<E>): Promise<Ack<CommandResult<E>>> {
    return this.raw(name, payload) as Promise<Ack<CommandResult<E>>>;
  }

  /** Sends a command that must succeed; checks the result against the protocol schema. */
  async ok<E extends CommandName>(name: E, payload: CommandPayload<E>): Promise<CommandResult<E>> {
    const ack = await this.command(name, payload);
    if (!ack.ok) throw new Error(`${name} failed: ${JSON.stringify(ack.error)}`);
    expect(commands[name].result.safeParse(ack.data).error).toBeUndefined();
    return ack.data;
  }

  /** Emits anything at all, with an ack; for testing what the server does with bad input. */
  raw(event: string, ...args: unknown[]): Promise<Ack<unknown>> {
    const untyped = this.socket as unknown as Socket;
    return untyped.timeout(waitMs).emitWithAck(event, ...args) as Promise<Ack<unknown>>;
  }

  /** The first recorded event of this name that matches, waiting for it if need be. */
  waitFor<E extends ServerEventName>(
    name: E,
    matches: (event: ServerEvent<E>) => boolean = () => true,
    timeoutMs = waitMs,
  ): Promise<ServerEvent<E>> {
    const find = () => (this.received[name] as ServerEvent<E>[]).find(matches);
    return this.#waiters.until(find, (found) => withTimeout(found, timeoutMs, `${name} on ${this.socket.id ?? 'a socket'}`));
  }

  /** Resolves once the server has ended this connection. */
  waitForDisconnect(timeoutMs = waitMs): Promise<string> {
    if (this.socket.disconnected) return Promise.resolve('already disconnected');
    return withTimeout(
      new Promise<string>((resolve) => this.socket.once('disconnect', resolve)),
      timeoutMs,
      'disconnect',
    );
  }

  close(): void {
    this.socket.disconnect();
  }
}

function openSocket(url: string, token: string | undefined, options: ConnectOptions): ClientSocket {
  const socketOptions: Partial<ManagerOptions & SocketOptions> = {
    transports: options.transports ?? ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.auth ?? { token },
    ...(options.headers ? { extraHeaders: options.headers } : {}),
  };
  return io(url, socketOptions);
}

/** Connects and waits for `session:ready`; fails the test on a connect_error. */
export async function connectClient(
  url: string,
  token: string,
  options: ConnectOptions = {},
): Promise<TestClient> {
  const client = new TestClient(openSocket(url, token, options));
  const failed = new Promise<never>((_, reject) =>
    client.socket.once('connect_error', (error) =>
      reject(new Error(`connect_error: ${error.message}`)),
    ),
  );
  await Promise.race([client.waitFor('session:ready'), failed]).catch((error: unknown) => {
    client.close();
    throw error;
  });
  return client;
}

/** Tries to connect and returns the connect_error the server answered with. */
export async function expectConnectError(
  url: string,
  token: string | undefined,
  options: ConnectOptions = {},
): Promise<Error & { data?: unknown; description?: unknown }> {
  const socket = openSocket(url, token, options);
  try {
    return await withTimeout(
      new Promise<Error & { data?: unknown }>((resolve, reject) => {
        socket.once('connect_error', resolve);
        socket.once('connect', () => reject(new Error('connected, but a connect_error was expected')));
      }),
      waitMs,
      'connect_error',
    );
  } finally {
    socket.disconnect();
  }
}
