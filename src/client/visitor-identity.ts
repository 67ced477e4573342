import { plainJson } from './plain-json.js';
import { ChatError, LocalErrorCode } from './errors.js';
import type { TokenProvider } from './token.js';

/** What the browser keeps of an anonymous support visitor. */
export interface VisitorCredentials {
  visitorId: string;
  secret: string;
  /** "Visitor #<number>". */
  number: number;
}

export interface VisitorIdentityOptions {
  /** Base URL of the im-chat server. */
  server: string;
  /** Where the identity is kept; default the page's localStorage (the host's origin). */
  storage?: Storage;
  /** The identity no longer works (the visitor signed in, or the server does not know it): forgotten. */
  onSpent?: () => void;
}

/**
 * The anonymous identity of a support visitor: made by the im-chat server on first use,
 * kept in the host page's storage so that a returning visitor finds their conversation,
 * and exchanged for short-lived tokens. Nothing is stored before `ensure()`.
 *
 * @example
 * const identity = new VisitorIdentity({ server });
 * await identity.ensure(); // the visitor opened the chat
 * const client = new ChatClient({ server, tokenProvider: identity.tokenProvider });
 */
export class VisitorIdentity {
  readonly #server: URL;
  readonly #key: string;
  readonly #options: VisitorIdentityOptions;
  #creating: Promise<VisitorCredentials> | null = null;
  /** Where the identity lives when the browser blocks storage: this page only. */
  #unstored: VisitorCredentials | null = null;

  constructor(options: VisitorIdentityOptions) {
    this.#options = options;
    this.#server = new URL(options.server, globalThis.location?.href);
    this.#key = `im-chat:visitor:${this.#server.origin}`;
  }

  /** The stored identity, or null before the visitor first opened the chat. */
  get credentials(): VisitorCredentials | null {
    try {
      const stored = JSON.parse(this.#storage()?.getItem(this.#key) ?? 'null') as VisitorCredentials | null;
      if (stored && typeof stored.visitorId === 'string' && typeof stored.secret === 'string') return stored;
    } catch {
      // Unreadable: a new identity will be made.
    }
    return this.#unstored;
  }

  /** The stored identity, made on the server first if there is none. */
  ensure(): Promise<VisitorCredentials> {
    const stored = this.credentials;
    if (stored) return Promise.resolve(stored);
    this.#creating ??= this.#lockedCreate().finally(() => (this.#creating = null));
    return this.#creating;
  }

  forget(): void {
    this.#unstored = null;
    this.#storage()?.removeItem(this.#key);
  }

  /** Fresh tokens for the stored identity; fails once it has been claimed (and forgets it). */
  readonly tokenProvider: TokenProvider = async () => {
    const credentials = this.credentials;
    if (!credentials) throw new ChatError(LocalErrorCode.TokenUnavailable, 'No visitor identity yet.');
    const response = await this.#post('api/support/visitors/token', {
      visitorId: credentials.visitorId,
      secret: credentials.secret,
    });
    if (response.status === 410 || response.status === 401) {
      this.forget();
      this.#options.onSpent?.();
    }
    const body = (await response.json()) as { token?: string; error?: { code: string; message: string } };
    if (!response.ok || !body.token) throw errorOf(body, response.status);
    return body.token;
  };

  /** Tabs opening the chat at once make one identity, not one each. */
  async #lockedCreate(): Promise<VisitorCredentials> {
    const locks = globalThis.navigator?.locks;
    if (!locks) return this.#create();
    return locks.request(this.#key, () => this.credentials ?? this.#create());
  }

  async #create(): Promise<VisitorCredentials> {
    const response = await this.#post('api/support/visitors', {});
    const body = (await response.json()) as VisitorCredentials & { error?: { code: string; message: string } };
    if (!response.ok) throw errorOf(body, response.status);
    const credentials = { visitorId: body.visitorId, secret: body.secret, number: body.number };
    this.#unstored = credentials;
    try {
      this.#storage()?.setItem(this.#key, JSON.stringify(credentials));
    } catch {
      // Full or blocked: the identity lasts as long as this page.
    }
    return credentials;
  }

  #post(path: string, body: unknown): Promise<Response> {
    return fetch(new URL(path, this.#server.href.endsWith('/') ? this.#server : `${this.#server.href}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: plainJson(body),
      credentials: 'omit',
    });
  }

  #storage(): Storage | null {
    try {
      return this.#options.storage ?? globalThis.localStorage ?? null;
    } catch {
      return null; // storage blocked by the browser's settings
    }
  }
}

function errorOf(body: { error?: { code: string; message: string } }, status: number): ChatError {
  return body.error
    ? new ChatError(body.error.code as ChatError['code'], body.error.message)
    : new ChatError('internal', `The server answered ${status}.`);
}
