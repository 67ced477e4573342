import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { systemClock, type Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { Authentication, Authenticator } from './authenticator.js';
import { userFromClaims } from './claims.js';

export interface JwtAuthenticatorOptions {
  /** Shared secret for HS256 tokens. */
  secret?: Uint8Array;
  /** JWKS endpoint for RS256 / ES256 tokens. Both may be given; the token's `alg` picks. */
  jwksUrl?: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
  /** Allowed clock skew with the token issuer, for `exp` and `nbf`. Default 30. */
  clockToleranceSeconds?: number;
  /** How long the fetched key set is used before it is fetched again. Default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /**
   * A token signed with a key the cached set lacks (the issuer rotated its keys) fetches
   * the set again, at most this often. Default 30 s.
   */
  jwksCooldownMs?: number;
  clock?: Clock;
}

/**
 * Verifies the host site's JWTs: signature, `exp`, `nbf`, and `iss` / `aud` when
 * configured. Claims: `sub` (the user id), `name`, `avatar`. An expired token is refused
 * with `token_expired`, so that clients know to ask for a new one. A JWKS is cached and
 * fetched again when it is old or a token names a key it lacks (key rotation).
 *
 * @example
 * const secret = new TextEncoder().encode(process.env.IM_JWT_SECRET);
 * const auth = createJwtAuthenticator({ secret, issuer: 'https://shop.example' });
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const { secret, jwksUrl, issuer, audience } = options;
  if (!secret && !jwksUrl) throw new Error('a JWT authenticator needs a secret or a JWKS URL');
  const toleranceSeconds = options.clockToleranceSeconds ?? 30;
  const clock = options.clock ?? systemClock;
  const jwks = jwksUrl
    ? createRemoteJWKSet(new URL(jwksUrl), {
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
      })
    : null;
  const algorithms = [...(secret ? ['HS256'] : []), ...(jwks ? ['RS256', 'ES256'] : [])];

  const getKey: JWTVerifyGetKey = (header, token) => {
    if (header.alg === 'HS256' && secret) return secret;
    if (jwks) return jwks(header, token);
    throw new errors.JOSEAlgNotAllowed(`"alg" ${String(header.alg)} is not allowed`);
  };

  return {
    async verify(token: string): Promise<Authentication> {
      const verifyOptions: JWTVerifyOptions = {
        algorithms,
        clockTolerance: toleranceSeconds,
        currentDate: new Date(clock.now()),
        ...(issuer ? { issuer } : {}),
        ...(audience ? { audience } : {}),
      };
      try {
        const { payload } = await jwtVerify(token, getKey, verifyOptions);
        return {
          user: userFromClaims(payload),
          expiresAt: payload.exp === undefined ? null : (payload.exp + toleranceSeconds) * 1000,
        };
      } catch (error) {
        throw toAuthError(error, jwks !== null);
      }
    },
  };
}

// The key set could not be fetched or read: the token itself may be fine.
const keySourceFailures = new Set(['ERR_JOSE_GENERIC', 'ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID']);

function toAuthError(error: unknown, usesJwks: boolean): CommandError {
  if (error instanceof CommandError) return error;
  if (error instanceof errors.JWTExpired) {
    return new CommandError('token_expired', 'the token has expired');
  }
  const isJoseError = error instanceof errors.JOSEError;
  if (usesJwks && (!isJoseError || keySourceFailures.has(error.code))) {
    return new CommandError('unavailable', 'the keys to verify tokens are unreachable');
  }
  const reason = isJoseError ? error.message : 'malformed token';
  return new CommandError('unauthenticated', `invalid token: ${reason}`);
}
