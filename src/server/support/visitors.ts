import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import type { Authentication, Authenticator } from '../auth/authenticator.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import { visitorStanding } from './visitor-decisions.js';

/** The `iss` of the tokens the server issues to anonymous visitors. */
export const visitorIssuer = 'im-chat:visitor';
const tokenLifetimeSeconds = 60 * 60;

/** What a visitor's browser keeps: the id, and the secret that gets tokens for it. */
export interface VisitorCredentials {
  visitorId: string;
  secret: string;
  /** "Visitor #<number>". */
  number: number;
}

/**
 * Anonymous visitors of support mode. The server issues their identity: an id and a
 * secret (of which it keeps only a hash) that the browser keeps in the host page's
 * storage, and exchanges for short-lived tokens signed with a key of its own.
 */
export class Visitors {
  #key: Promise<Uint8Array> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
  ) {}

  async create(): Promise<VisitorCredentials> {
    const visitorId = `v_${randomBytes(16).toString('base64url')}`;
    const secret = randomBytes(32).toString('base64url');
    const { number } = await this.storage.support.write.createVisitor({
      id: visitorId,
      secretHash: hashSecret(secret),
      now: this.clock.now(),
    });
    return { visitorId, secret, number };
  }

  /** `not_found` unless the secret is the visitor's (claimed or not). */
  async requireSecret(visitorId: string, secret: string): Promise<void> {
    if ((await this.#standing(visitorId, secret)) === 'unknown') {
      throw new CommandError('not_found', 'no such visitor, or a wrong secret');
    }
  }

  /** A fresh token; `unauthenticated` for a wrong secret, `visitor_claimed` once signed in. */
  async token(visitorId: string, secret: string): Promise<{ token: string; expiresAt: number }> {
    const standing = await this.#standing(visitorId, secret);
    if (standing === 'unknown') throw new CommandError('unauthenticated', 'no such visitor, or a wrong secret');
    if (standing === 'claimed') throw claimed();
    const now = Math.floor(this.clock.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(visitorId)
      .setIssuer(visitorIssuer)
      .setIssuedAt(now)
      .setExpirationTime(now + tokenLifetimeSeconds)
      .sign(await this.#secret());
    return { token, expiresAt: (now + tokenLifetimeSeconds) * 1000 };
  }

  /**
   * Verifies visitors' tokens itself and hands every other token to the host's
   * authenticator. A visitor's profile is the stored one (the pre-chat form may have
   * named them), not the token's.
   */
  authenticator(host: Authenticator): Authenticator {
    return {
      verify: async (token) => (isVisitorToken(token) ? this.#verify(token) : host.verify(token)),
    };
  }

  async #verify(token: string): Promise<Authentication> {
    let visitorId: string | undefined;
    let exp: number | undefined;
    try {
      const { payload } = await jwtVerify(token, await this.#secret(), {
        algorithms: ['HS256'],
        issuer: visitorIssuer,
        currentDate: new Date(this.clock.now()),
      });
      ({ sub: visitorId, exp } = payload);
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new CommandError('token_expired', 'the token has expired');
      throw new CommandError('unauthenticated', 'the visitor token does not verify');
    }
    const visitor = visitorId ? await this.storage.support.read.getVisitor(visitorId) : null;
    const [user] = visitor ? await this.storage.accounts.read.users([visitor.id]) : [];
    if (!visitor || !user) throw new CommandError('unauthenticated', 'no such visitor');
    if (visitor.claimedBy !== null) throw claimed();
    return { user, expiresAt: exp === undefined ? null : exp * 1000, visitor: true };
  }

  async #standing(visitorId: string, secret: string): Promise<ReturnType<typeof visitorStanding>> {
    const visitor = await this.storage.support.read.getVisitor(visitorId);
    return visitorStanding(visitor, (secretHash) => sameHash(hashSecret(secret), secretHash));
  }

  #secret(): Promise<Uint8Array> {
    if (!this.#key) {
      const key = this.storage.support.write.visitorTokenSecret();
      this.#key = key;
      // A storage failure must not stick: the next call tries again.
      key.catch(() => {
        if (this.#key === key) this.#key = null;
      });
    }
    return this.#key;
  }
}

function isVisitorToken(token: string): boolean {
  try {
    return decodeJwt(token).iss === visitorIssuer;
  } catch {
    return false; // not a JWT: the host's authenticator says why
  }
}

function claimed(): CommandError {
  return new CommandError(
    'visitor_claimed',
    'this visitor signed in: the conversation belongs to that account now',
  );
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
