import { ErrorCode } from '../protocol/index.js';
import type { ClientStatus } from './client-events.js';
import type { Connection } from './connection.js';
import { ChatError } from './errors.js';
import type { TokenClaims } from './token.js';
import { delay, type TokenSource } from './token-source.js';

/** Fresh tokens tried for a refused session before the client gives up (`unauthorized`). */
const maxReauthAttempts = 3;

export interface SignInOptions {
  tokens: TokenSource;
  connection: Connection;
  status: () => ClientStatus;
  setStatus: (status: ClientStatus) => void;
  /** The user whose cache is open, if any. */
  cachedUserId: () => string | undefined;
  /** Opens a user's cache in place of the open one. */
  openCache: (userId: string) => void;
  fail: (error: ChatError) => void;
}

/**
 * Staying signed in with the host's tokens: another user's token starts over with their
 * cache, the same user's refreshes the session in place. A session the server refuses
 * gets a few fresh tokens from the provider (when there is one), then the client is
 * `unauthorized` until the host gives a new token.
 */
export class SignIn {
  #reauthAttempts = 0;
  #refusal: ChatError | null = null;

  constructor(private readonly options: SignInOptions) {}

  /** Why the server (or a malformed token) signed the client out, last. */
  get refusal(): ChatError | null {
    return this.#refusal;
  }

  /** Takes a token; a malformed one signs the client out with an error. */
  adopt(token: string): TokenClaims | null {
    try {
      return this.options.tokens.adopt(token);
    } catch (error) {
      this.#signedOut(error as ChatError);
      return null;
    }
  }

  /** A token from the provider (which keeps retrying while it fails). */
  async fetchToken(): Promise<boolean> {
    try {
      const claims = await this.options.tokens.fetch();
      if (!claims) return false;
      if (claims.sub !== this.options.cachedUserId()) this.options.openCache(claims.sub);
      return true;
    } catch (error) {
      this.#signedOut(error as ChatError);
      return false;
    }
  }

  /** The host replaced the token (e.g. it signed in another user). */
  setToken(token: string): void {
    const claims = this.adopt(token);
    if (!claims) return;
    const status = this.options.status();
    if (status === 'stopped' || status === 'starting') return;
    if (status === 'unauthorized') {
      // A fresh start with the new token: the refusal was about the old one.
      this.#reauthAttempts = 0;
      this.options.setStatus('connecting');
    }
    this.#useToken(claims);
  }

  /** A refresh before expiry brought a new token. */
  useRefreshedToken(claims: TokenClaims): void {
    const status = this.options.status();
    if (status !== 'stopped' && status !== 'unauthorized') this.#useToken(claims);
  }

  /** The server accepted the session: a later refusal gets its fresh tokens again. */
  accepted(): void {
    this.#reauthAttempts = 0;
  }

  async handleRefusal(error: ChatError): Promise<void> {
    if (this.options.status() === 'stopped') return;
    const renewable =
      error.code === ErrorCode.TokenExpired || error.code === ErrorCode.Unauthenticated;
    if (!renewable || !this.options.tokens.renewable || this.#reauthAttempts >= maxReauthAttempts) {
      this.#signedOut(error);
      return;
    }
    this.#reauthAttempts++;
    this.options.setStatus('offline');
    await delay(this.#reauthAttempts === 1 ? 0 : 1_000 * this.#reauthAttempts);
    if (await this.fetchToken()) this.options.connection.connect();
  }

  /** Puts a new token to use: another user starts over, the same one refreshes the session. */
  #useToken(claims: TokenClaims): void {
    const { connection } = this.options;
    if (claims.sub !== this.options.cachedUserId()) {
      this.options.openCache(claims.sub);
      connection.disconnect();
      this.options.setStatus('connecting');
      connection.connect();
    } else if (connection.state === 'connected') {
      void this.#refreshSession(this.options.tokens.current!);
    } else {
      connection.connect();
    }
  }

  async #refreshSession(token: string): Promise<void> {
    try {
      await this.options.connection.request('auth:refresh', { token });
    } catch (error) {
      // The connection goes on until the old token expires; the server then ends it
      // and the reconnect presents the new token.
      if (error instanceof ChatError) this.options.fail(error);
    }
  }

  #signedOut(error: ChatError): void {
    this.#refusal = error;
    this.options.setStatus('unauthorized');
    this.options.fail(error);
  }
}
