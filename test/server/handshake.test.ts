import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, expectConnectError } from '../support/node/client.js';
import { TestServer, testUsers } from '../support/node/server.js';
import { mintToken } from '../support/node/tokens.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('handshake', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('rejects a missing, forged, expired or subject-less token with a specific code', async () => {
    server = await TestServer.start();
    const expectCode = async (token: string | undefined, code: string) => {
      const error = await expectConnectError(server.url, token);
      expect(error.message).toBe(code);
      expect(error.data).toEqual({ code, message: expect.any(String) });
    };

    await expectCode(undefined, 'unauthenticated');
    await expectCode('', 'unauthenticated');
    await expectCode('not.a.jwt', 'unauthenticated');
    await expectCode(await mintToken(randomBytes(32), { sub: 'alice' }), 'unauthenticated');
    await expectCode(await server.token({ name: 'No Sub' }), 'unauthenticated');
    await expectCode(await server.token({ sub: 'has space' }), 'unauthenticated');
    await expectCode(await server.token({ sub: 'alice', exp: nowSeconds() - 60 }), 'token_expired');
    await expectCode(await server.token({ sub: 'alice', nbf: nowSeconds() + 600 }), 'unauthenticated');

    const wrongShape = await expectConnectError(server.url, undefined, { auth: { token: 42 } });
    expect(wrongShape.message).toBe('unauthenticated');
  });

  it('greets with session:ready and stores the profile from the token', async () => {
    server = await TestServer.start({ users: [] });
    const exp = nowSeconds() + 600;
    const alice = await server.connect({
      sub: 'alice',
      name: '  Alice Liddell ',
      avatar: 'javascript:alert(1)',
      exp,
    });
    expect(alice.session).toEqual({
      user: { id: 'alice', name: 'Alice Liddell', avatar: null },
      serverTime: expect.any(Number),
      expiresAt: exp * 1000,
      aliases: [],
    });
    expect(alice.received['session:ready']).toHaveLength(1);

    const bob = await server.connect({ sub: 'bob', name: '\u0007', avatar: 'https://x.example/b.png' });
    expect(bob.session.user).toEqual({ id: 'bob', name: 'bob', avatar: 'https://x.example/b.png' });
    expect((await bob.ok('user:search', { query: 'liddell' })).users).toEqual([alice.session.user]);
  });

  it('allows listed origins and the server’s own, and refuses others on both transports with a readable code', async () => {
    server = await TestServer.start({ allowedOrigins: ['https://shop.example'] });
    const token = await server.token('alice');
    const ownOrigin = new URL(server.url).origin;

    for (const transports of [['websocket'], ['polling']] as const) {
      const refused = await expectConnectError(server.url, token, {
        transports: [...transports],
        headers: { origin: 'https://evil.example' },
      });
      expect(refused.message).toBe('origin_not_allowed');
      expect(refused.data).toEqual({
        code: 'origin_not_allowed',
        message: 'origin https://evil.example may not connect',
      });
      for (const origin of ['https://shop.example', ownOrigin]) {
        const client = await connectClient(server.url, token, {
          transports: [...transports],
          headers: { origin },
        });
        expect(client.session.user.id).toBe('alice');
        client.close();
      }
    }

    // A refused page may read the refusal: its polling answers carry CORS headers.
    const polling = await fetch(new URL('/socket.io/?EIO=4&transport=polling', server.url), {
      headers: { origin: 'https://evil.example' },
    });
    expect(polling.headers.get('access-control-allow-origin')).toBe('https://evil.example');
  });

  it('allows any origin with "*", and only its own origin by default', async () => {
    server = await TestServer.start({ allowedOrigins: '*' });
    const token = await server.token('alice');
    const headers = { origin: 'https://a.example' };
    const anywhere = await connectClient(server.url, token, { headers });
    anywhere.close();
    await server.close();

    server = await TestServer.start();
    const elsewhere = await expectConnectError(server.url, await server.token('alice'), {
      headers: { origin: 'https://a.example' },
    });
    expect(elsewhere.message).toBe('origin_not_allowed');
    const withoutOrigin = await server.connect('alice');
    expect(withoutOrigin.session.user.id).toBe('alice');
  });

  it('ends the session when the token expires, unless auth:refresh extended it', async () => {
    server = await TestServer.start();
    const shortLived = { sub: 'alice', name: 'Alice', exp: nowSeconds() + 4 };
    const expiring = await server.connect(shortLived);
    const refreshed = await server.connect(shortLived);

    const exp = nowSeconds() + 3600;
    const refresh = await refreshed.ok('auth:refresh', {
      token: await server.token({ sub: 'alice', name: 'Alice', exp }),
    });
    expect(refresh).toEqual({ expiresAt: exp * 1000 });

    expect(await expiring.waitForDisconnect(15_000)).toBe('io server disconnect');
    expect(refreshed.socket.connected).toBe(true);
    expect((await refreshed.ok('user:search', { query: 'bob' })).users).toEqual([testUsers.bob]);
  });

  it('refuses auth:refresh with a token for someone else or an invalid one', async () => {
    server = await TestServer.start();
    const alice = await server.connect('alice');
    const forBob = await alice.command('auth:refresh', { token: await server.token('bob') });
    expect(forBob).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const expired = await alice.command('auth:refresh', {
      token: await server.token({ sub: 'alice', exp: nowSeconds() - 60 }),
    });
    expect(expired).toMatchObject({ ok: false, error: { code: 'token_expired' } });
    const garbage = await alice.command('auth:refresh', { token: 'garbage' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(alice.socket.connected).toBe(true);
  });
});
