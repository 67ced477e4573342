/**
 * Reading a JWT's claims in the browser, without verifying it: the client only needs
 * `sub` (whose cache to open) and `exp` (when to refresh). The server verifies.
 */
export interface TokenClaims {
  sub: string;
  /** Expiry in ms since the epoch, or null if the token has none. */
  expiresAt: number | null;
}

export class TokenFormatError extends Error {
  override name = 'TokenFormatError';
}

export function readTokenClaims(token: string): TokenClaims {
  const [, payload] = token.split('.');
  if (!payload) throw new TokenFormatError('The token is not a JWT.');
  let claims: unknown;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(
      Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) =>
        c.charCodeAt(0),
      ),
    );
    claims = JSON.parse(json);
  } catch {
    throw new TokenFormatError('The token payload is not readable JSON.');
  }
  const { sub, exp } = (claims ?? {}) as { sub?: unknown; exp?: unknown };
  if (typeof sub !== 'string' || sub === '') {
    throw new TokenFormatError('The token has no subject (sub claim).');
  }
  return { sub, expiresAt: typeof exp === 'number' ? exp * 1000 : null };
}

/** Where tokens come from: a fixed token, a callback into the host page, or both. */
export type TokenProvider = () => string | Promise<string>;
