import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import {
  ErrorCode,
  type Ack,
  type ClientToServerEvents,
  type CommandName,
  type CommandPayload,
  type CommandResult,
  type ServerToClientEvents,
} from '../protocol/index.js';
import { systemClock, type Clock } from './clock.js';
import { ChatError, LocalErrorCode } from './errors.js';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens a socket.io client socket: socket.io-client's `io`, or a stand-in for it in tests. */
export type CreateSocket = (url: string, options: Partial<ManagerOptions & SocketOptions>) => ChatSocket;

export type TransportState = 'disconnected' | 'connecting' | 'connected';

export interface ConnectionOptions {
  url: string;
  path?: string;
  /** Returns the token for the next handshake. */
  token: () => string;
  /** The server refused a handshake (bad or expired token, origin not allowed). */
  onRefused: (error: ChatError) => void;
  onStateChange: (state: TransportState) => void;
  /** Default: socket.io-client's `io` (with the widget's packet encoder), loaded on the first `connect()`. */
  createSocket?: CreateSocket;
  /** Times requests out and schedules reconnects; default the system clock. */
  clock?: Clock;
}

/**
 * One socket.io connection with typed, time-limited requests. It never queues commands
 * while offline: what must survive an outage goes through the outbox instead.
 *
 * socket.io-client loads with the first `connect()`, not with the widget, so that the
 * widget shows its cache before the library has even arrived.
 */
export class Connection {
  #socket: ChatSocket | undefined;
  #loading: Promise<ChatSocket> | undefined;
  /** Listeners added before the socket exists, given to it once it does. */
  readonly #listeners: [string, unknown][] = [];
  /** `connect()` was called and `disconnect()` was not since. */
  #wanted = false;
  readonly #clock: Clock;
  #state: TransportState = 'disconnected';
  #cancelReconnect: (() => void) | undefined;

  constructor(private readonly options: ConnectionOptions) {
    this.#clock = options.clock ?? systemClock;
    if (options.createSocket) this.#attach(options.createSocket(options.url, this.#socketOptions()));
  }

  #socketOptions(): Partial<ManagerOptions & SocketOptions> {
    return {
      path: this.options.path ?? '/socket.io',
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      auth: (callback) => callback({ token: this.options.token() }),
    };
  }

  /** The socket, once socket.io-client has loaded (a failed load is tried again on the next call). */
  #load(): Promise<ChatSocket> {
    this.#loading ??= import('./socket-transport.js').then(
      ({ io, socketParser }) => this.#socket ?? this.#attach(io(this.options.url, { ...this.#socketOptions(), parser: socketParser })),
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  #attach(socket: ChatSocket): ChatSocket {
    this.#socket = socket;
    socket.on('connect', () => {
      // Anything socket.io buffered while offline is stale: the outbox resends what matters.
      socket.sendBuffer = [];
      this.#setState('connected');
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.#setState('connecting');
      // socket.io does not retry after the server ended the connection (a shutdown, an
      // expired token); come back shortly, and the handshake says whether we may.
      if (reason === 'io server disconnect') {
        this.#cancelReconnect = this.#clock.after(1_000, () => socket.connect());
      }
    });
    socket.on('connect_error', (error) => {
      if (socket.active) {
        this.#setState('connecting');
        return;
      }
      // The server's middleware refused us; socket.io will not retry on its own.
      this.#setState('disconnected');
      const data = (error as Error & { data?: { code?: string; message?: string } }).data;
      const code = (data?.code ?? ErrorCode.Unauthenticated) as ErrorCode;
      this.options.onRefused(new ChatError(code, data?.message ?? error.message));
    });
    for (const [event, listener] of this.#listeners.splice(0)) {
      (socket.on as (event: string, listener: unknown) => void)(event, listener);
    }
    return socket;
  }

  get state(): TransportState {
    return this.#state;
  }

  connect(): void {
    this.#wanted = true;
    const socket = this.#socket;
    if (socket?.connected || socket?.active) return;
    this.#setState('connecting');
    if (socket) {
      socket.connect();
      return;
    }
    this.#load().then(
      (loaded) => {
        if (this.#wanted && !loaded.connected && !loaded.active) loaded.connect();
      },
      () => {
        // Offline before socket.io-client ever loaded: try again, as socket.io itself would.
        this.#cancelReconnect = this.#clock.after(5_000, () => {
          if (this.#wanted && !this.#socket) this.connect();
        });
      },
    );
  }

  disconnect(): void {
    this.#wanted = false;
    this.#cancelReconnect?.();
    this.#socket?.disconnect();
    this.#setState('disconnected');
  }

  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): void {
    // socket.io's typed `on` cannot follow a generic event name.
    if (this.#socket) (this.#socket.on as (event: string, listener: unknown) => void)(event, listener);
    else this.#listeners.push([event, listener]);
  }

  /**
   * Sends a command and resolves with its result, or rejects with a ChatError:
   * the server's error, `offline` (not sent, or the connection dropped before the ack),
   * or `timeout`.
   */
  request<E extends CommandName>(
    event: E,
    payload: CommandPayload<E>,
    timeoutMs = 10_000,
  ): Promise<CommandResult<E>> {
    const socket = this.#socket;
    if (!socket?.connected) {
      return Promise.reject(new ChatError(LocalErrorCode.Offline, 'Not connected.'));
    }
    return new Promise((resolve, reject) => {
      const settle = () => {
        cancelTimeout();
        socket.off('disconnect', onDisconnect);
      };
      const onDisconnect = () => {
        settle();
        reject(new ChatError(LocalErrorCode.Offline, 'The connection dropped before the reply.'));
      };
      const cancelTimeout = this.#clock.after(timeoutMs, () => {
        settle();
        reject(new ChatError(LocalErrorCode.Timeout, `No reply to ${event} in ${timeoutMs} ms.`));
      });
      socket.on('disconnect', onDisconnect);
      const emit = socket.emit as (event: string, payload: unknown, ack: (ack: Ack<unknown>) => void) => void;
      emit.call(socket, event, payload, (ack) => {
        settle();
        if (ack?.ok === true) resolve(ack.data as CommandResult<E>);
        else if (ack?.ok === false) reject(ChatError.from(ack.error));
        else reject(new ChatError(ErrorCode.Internal, `Malformed reply to ${event}.`));
      });
    });
  }

  #setState(state: TransportState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.options.onStateChange(state);
  }
}
