import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatClient, type ChatError, type TokenProvider } from '../../client/index.js';
import type { JoinDecidedEvent, Message, User } from '../../protocol/index.js';
import type { SessionSnapshot } from '../context.js';

/** Where the client signs in: the server, and a token, a provider, or both. Null: not yet. */
export interface ClientCredentials {
  server: string;
  token?: string;
  tokenProvider?: TokenProvider;
  /** Whom the provider signs in, when known (see `ChatClientOptions.expectedUserId`). */
  expectedUserId?: string;
}

export interface ClientControllerOptions {
  credentials: () => ClientCredentials | null;
  onSession: (user: User) => void;
  onMessage: (message: Message) => void;
  onJoinDecided: (decision: JoinDecidedEvent) => void;
  onError: (error: ChatError) => void;
  /** Bytes of images the client keeps for offline (see `ChatClientOptions.mediaCacheBytes`). */
  mediaCacheBytes?: () => number | undefined;
}

const stopped: SessionSnapshot = { status: 'stopped', cache: null, user: null, refusal: null, aliases: [] };

/**
 * The headless client behind an element: made when credentials are given, started while
 * the element is in the page, made anew when the server or the token provider changes,
 * and given new tokens as they come. `session` is a fresh snapshot on every change.
 */
export class ClientController implements ReactiveController {
  client: ChatClient | undefined;
  session: SessionSnapshot = stopped;
  #configured: ClientCredentials | null = null;
  #unsubscribe: Array<() => void> = [];
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ClientControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.client) this.#start();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop();
  }

  /** Applies the current credentials: call when they may have changed. */
  configure(): void {
    const next = this.options.credentials();
    const previous = this.#configured;
    this.#configured = next;
    const sameClient =
      !!next &&
      !!previous &&
      next.server === previous.server &&
      next.tokenProvider === previous.tokenProvider &&
      next.expectedUserId === previous.expectedUserId;
    if (this.client && !(sameClient && (next.token || next.tokenProvider))) {
      this.#stop();
      this.client = undefined;
      this.host.requestUpdate();
    }
    if (!next || (!next.token && !next.tokenProvider)) return;
    if (this.client) {
      if (next.token && next.token !== previous?.token) this.client.setToken(next.token);
      return;
    }
    const mediaCacheBytes = this.options.mediaCacheBytes?.();
    try {
      this.client = new ChatClient({
        server: next.server,
        ...(next.token ? { token: next.token } : {}),
        ...(next.tokenProvider ? { tokenProvider: next.tokenProvider } : {}),
        ...(next.expectedUserId ? { expectedUserId: next.expectedUserId } : {}),
        ...(mediaCacheBytes === undefined ? {} : { mediaCacheBytes }),
      });
    } catch (error) {
      this.options.onError(error as ChatError);
      return;
    }
    this.host.requestUpdate();
    if (this.#connected) this.#start();
  }

  /** Stops the client and deletes what this browser kept of its user. */
  async signOut(): Promise<void> {
    const client = this.client;
    this.#stop();
    this.client = undefined;
    this.#configured = null;
    this.host.requestUpdate();
    await client?.signOut();
  }

  #start(): void {
    const client = this.client!;
    const snapshot = () => {
      this.session = {
        status: client.status,
        cache: client.cache,
        user: client.user,
        refusal: client.refusal?.code ?? null,
        aliases: client.aliases,
      };
      this.host.requestUpdate();
    };
    this.#unsubscribe = [
      client.on('status', snapshot),
      client.on('cache', snapshot),
      client.on('session', (user) => {
        snapshot();
        this.options.onSession(user);
      }),
      client.on('message', (message) => this.options.onMessage(message)),
      client.on('join-decided', (decision) => this.options.onJoinDecided(decision)),
      client.on('error', (error) => this.options.onError(error)),
    ];
    void client.start();
    snapshot();
  }

  #stop(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.client?.stop();
    this.session = stopped;
  }
}
