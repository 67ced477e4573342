import type { User } from '../../protocol/index.js';

export interface Authentication {
  /** The profile the token carries; stored on every successful handshake. */
  user: User;
  /**
   * When the server stops honouring the token (ms since epoch), or null if it never
   * expires. The session is closed then unless `auth:refresh` extends it.
   */
  expiresAt: number | null;
  /** An anonymous visitor of support mode, whose identity the server itself issued. */
  visitor?: boolean;
}

/**
 * Turns a bearer token into an identity. Rejects with a CommandError whose code is
 * `unauthenticated`, `token_expired` or, when the key source is unreachable, `unavailable`.
 */
export interface Authenticator {
  verify(token: string): Promise<Authentication>;
}
