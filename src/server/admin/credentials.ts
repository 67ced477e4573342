import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AdminError } from './errors.js';

export interface AdminCredentials {
  /** Bearer keys (`Authorization: Bearer <key>`), each at least 32 characters. */
  apiKeys?: readonly string[];
  /** Secret of HMAC-signed requests (`X-Im-Timestamp`, `X-Im-Signature`). */
  hmacSecret?: string;
  /** How far a signed request's timestamp may be from the server's clock. Default 300 s. */
  signatureWindowSeconds?: number;
}

/** Who made an admin request; idempotency keys are kept per caller. */
export interface AdminCaller {
  id: string;
}

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();

/**
 * Checks every admin request: a bearer API key, or an HMAC-SHA256 signature over
 * `<timestamp>.<METHOD>.<path and query>.<raw body>` within the time window, each
 * signature accepted once. Keys are compared as hashes, in constant time.
 */
export class AdminAuthenticator {
  readonly #keys: { id: string; hash: Buffer }[];
  readonly #secret: string | undefined;
  readonly #windowMs: number;
  /** Signatures seen in the window, with when they stop mattering. */
  readonly #seen = new Map<string, number>();

  constructor(
    credentials: AdminCredentials,
    private readonly clock: Clock,
  ) {
    this.#keys = (credentials.apiKeys ?? []).map((key) => {
      const hash = digest(key);
      return { id: `key:${hash.toString('hex').slice(0, 12)}`, hash };
    });
    this.#secret = credentials.hmacSecret;
    this.#windowMs = (credentials.signatureWindowSeconds ?? 300) * 1000;
  }

  get enabled(): boolean {
    return this.#keys.length > 0 || this.#secret !== undefined;
  }

  authenticate(request: FastifyRequest, rawBody: string): AdminCaller {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) return this.#byKey(authorization.slice('Bearer '.length));
    const signature = request.headers['x-im-signature'];
    if (typeof signature === 'string') return this.#bySignature(request, signature, rawBody);
    throw new AdminError(401, 'unauthenticated', 'give an API key (Authorization: Bearer) or sign the request');
  }

  #byKey(key: string): AdminCaller {
    const hash = digest(key);
    const match = this.#keys.find((candidate) => timingSafeEqual(candidate.hash, hash));
    if (!match) throw new AdminError(401, 'unauthenticated', 'unknown API key');
    return { id: match.id };
  }

  #bySignature(request: FastifyRequest, signature: string, rawBody: string): AdminCaller {
    if (!this.#secret) throw new AdminError(401, 'unauthenticated', 'this server takes no signed requests');
    const timestamp = request.headers['x-im-timestamp'];
    const seconds = typeof timestamp === 'string' && /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    const now = this.clock.now();
    if (!Number.isFinite(seconds) || Math.abs(now - seconds * 1000) > this.#windowMs) {
      throw new AdminError(401, 'unauthenticated', 'X-Im-Timestamp is missing or outside the allowed window');
    }
    const signed = `${timestamp}.${request.method}.${request.url}.${rawBody}`;
    const expected = `v1=${createHmac('sha256', this.#secret).update(signed).digest('hex')}`;
    if (!timingSafeEqual(digest(expected), digest(signature))) {
      throw new AdminError(401, 'unauthenticated', 'the signature does not match the request');
    }
    this.#forgetExpired(now);
    if (this.#seen.has(signature)) throw new AdminError(401, 'unauthenticated', 'this signed request was already used');
    this.#seen.set(signature, seconds * 1000 + this.#windowMs);
    return { id: 'hmac' };
  }

  #forgetExpired(now: number): void {
    for (const [signature, until] of this.#seen) if (until < now) this.#seen.delete(signature);
  }
}
