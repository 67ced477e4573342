import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from '../../src/server/auth/jwt-authenticator.js';
import { mintToken } from '../support/node/tokens.js';

const secret = new TextEncoder().encode('s'.repeat(32));
const now = Math.floor(Date.now() / 1000);

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe('JWT authenticator', () => {
  it('verifies HS256 tokens and reads sub, name and avatar', async () => {
    const auth = createJwtAuthenticator({ secret });
    const token = await mintToken(secret, {
      sub: 'user-1',
      name: 'Ada',
      avatar: 'https://example.com/a.png',
      exp: now + 600,
    });
    expect(await auth.verify(token)).toEqual({
      user: { id: 'user-1', name: 'Ada', avatar: 'https://example.com/a.png' },
      expiresAt: (now + 600 + 30) * 1000,
    });
  });

  it('falls back to the id for an unusable name and to no avatar for an unsafe one', async () => {
    const auth = createJwtAuthenticator({ secret });
    const cases: [unknown, unknown][] = [
      [undefined, undefined],
      ['   ', 'javascript:alert(1)'],
      [42, 'data:image/png;base64,AAAA'],
      ['n'.repeat(101), 'not a url'],
    ];
    for (const [name, avatar] of cases) {
      const { user } = await auth.verify(await mintToken(secret, { sub: 'user-2', name, avatar }));
      expect(user).toEqual({ id: 'user-2', name: 'user-2', avatar: null });
    }
    const longId = 'i'.repeat(128);
    const { user } = await auth.verify(await mintToken(secret, { sub: longId }));
    expect(user.name).toBe('i'.repeat(100));
  });

  it('tolerates clock skew on exp and nbf, and no more', async () => {
    const auth = createJwtAuthenticator({ secret, clockToleranceSeconds: 30 });
    await auth.verify(await mintToken(secret, { sub: 'u', exp: now - 10 }));
    await auth.verify(await mintToken(secret, { sub: 'u', nbf: now + 10 }));
    const expired = await rejection(auth.verify(await mintToken(secret, { sub: 'u', exp: now - 60 })));
    expect(expired.code).toBe('token_expired');
    const early = await rejection(auth.verify(await mintToken(secret, { sub: 'u', nbf: now + 60 })));
    expect(early.code).toBe('unauthenticated');
  });

  it('checks iss and aud when configured', async () => {
    const iss = 'https://host.example';
    const auth = createJwtAuthenticator({ secret, issuer: iss, audience: 'im-chat' });
    await auth.verify(await mintToken(secret, { sub: 'u', iss, aud: 'im-chat' }));
    const wrong = [{}, { iss: 'https://other.example', aud: 'im-chat' }, { iss, aud: 'x' }];
    for (const claims of wrong) {
      const error = await rejection(auth.verify(await mintToken(secret, { sub: 'u', ...claims })));
      expect(error.code).toBe('unauthenticated');
    }
  });

  it('uses the injected clock', async () => {
    const token = await mintToken(secret, { sub: 'u', exp: now + 60 });
    const clock = { now: () => (now + 120) * 1000 };
    const later = createJwtAuthenticator({ secret, clockToleranceSeconds: 0, clock });
    expect((await rejection(later.verify(token))).code).toBe('token_expired');
  });

  describe('with a JWKS endpoint', () => {
    let jwksServer: Server;
    let jwksUrl: string;
    let es256: CryptoKey;
    let rs256: CryptoKey;

    beforeAll(async () => {
      const ec = await generateKeyPair('ES256');
      const rsa = await generateKeyPair('RS256');
      es256 = ec.privateKey;
      rs256 = rsa.privateKey;
      const keys = [
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      ];
      jwksServer = createServer((_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

    const sign = (key: CryptoKey, alg: string, kid: string) =>
      new SignJWT({ name: 'Key User' })
        .setProtectedHeader({ alg, kid })
        .setSubject('key-user')
        .setExpirationTime(now + 600)
        .sign(key);

    it('verifies ES256 and RS256 tokens against the key set', async () => {
      const auth = createJwtAuthenticator({ jwksUrl });
      for (const token of [await sign(es256, 'ES256', 'ec-1'), await sign(rs256, 'RS256', 'rsa-1')]) {
        const { user } = await auth.verify(token);
        expect(user).toEqual({ id: 'key-user', name: 'Key User', avatar: null });
      }
      const hs256 = await mintToken(secret, { sub: 'u' });
      expect((await rejection(auth.verify(hs256))).code).toBe('unauthenticated');
    });

    it('accepts both kinds when given a secret and a key set', async () => {
      const auth = createJwtAuthenticator({ jwksUrl, secret });
      await auth.verify(await sign(es256, 'ES256', 'ec-1'));
      await auth.verify(await mintToken(secret, { sub: 'u' }));
    });

    it('answers unavailable when the key set cannot be fetched', async () => {
      const auth = createJwtAuthenticator({ jwksUrl: 'http://127.0.0.1:1/jwks.json' });
      const error = await rejection(auth.verify(await sign(es256, 'ES256', 'ec-1')));
      expect(error.code).toBe('unavailable');
    });
  });

  describe('with a JWKS endpoint that rotates its keys', () => {
    let jwksServer: Server;
    let jwksUrl: string;
    let fetches = 0;
    let published: object[] = [];

    beforeAll(async () => {
      jwksServer = createServer((_request, response) => {
        fetches++;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: published }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

    async function newKey(kid: string) {
      const pair = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
      const sign = (claims: { exp?: number; nbf?: number; iss?: string; aud?: string } = {}) => {
        const jwt = new SignJWT({ name: 'Rotating' })
          .setProtectedHeader({ alg: 'ES256', kid })
          .setSubject('rotating')
          .setExpirationTime(claims.exp ?? now + 600);
        if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
        if (claims.iss) jwt.setIssuer(claims.iss);
        if (claims.aud) jwt.setAudience(claims.aud);
        return jwt.sign(pair.privateKey);
      };
      return { jwk, sign };
    }

    it('fetches the key set once for many tokens, and again for a key it has not seen', async () => {
      const first = await newKey('2026-01');
      published = [first.jwk];
      fetches = 0;
      const auth = createJwtAuthenticator({ jwksUrl, jwksCooldownMs: 0 });
      for (let i = 0; i < 5; i++) await auth.verify(await first.sign());
      expect(fetches).toBe(1);

      // The issuer rotates: a new key signs from now on, the old one is withdrawn.
      const second = await newKey('2026-02');
      published = [second.jwk];
      expect((await auth.verify(await second.sign())).user.id).toBe('rotating');
      expect(fetches).toBe(2);
      const withdrawn = await rejection(auth.verify(await first.sign()));
      expect(withdrawn.code).toBe('unauthenticated');
    });

    it('fetches the key set again once its cache is old', async () => {
      const key = await newKey('2026-03');
      published = [key.jwk];
      fetches = 0;
      const auth = createJwtAuthenticator({ jwksUrl, jwksCacheMaxAgeMs: 1 });
      await auth.verify(await key.sign());
      await new Promise((resolve) => setTimeout(resolve, 20));
      await auth.verify(await key.sign());
      expect(fetches).toBe(2);
    });

    it('checks exp, nbf, iss and aud with the same clock skew on RS256/ES256 tokens', async () => {
      const key = await newKey('2026-04');
      published = [key.jwk];
      const iss = 'https://shop.example';
      const auth = createJwtAuthenticator({ jwksUrl, issuer: iss, audience: 'im-chat', clockToleranceSeconds: 30 });
      await auth.verify(await key.sign({ iss, aud: 'im-chat', exp: now - 10, nbf: now + 10 }));
      expect((await rejection(auth.verify(await key.sign({ iss, aud: 'im-chat', exp: now - 60 })))).code).toBe('token_expired');
      expect((await rejection(auth.verify(await key.sign({ iss, aud: 'im-chat', nbf: now + 60 })))).code).toBe('unauthenticated');
      expect((await rejection(auth.verify(await key.sign({ iss: 'https://evil.example', aud: 'im-chat' })))).code).toBe(
        'unauthenticated',
      );
      expect((await rejection(auth.verify(await key.sign({ iss, aud: 'other' })))).code).toBe('unauthenticated');
    });
  });
});
