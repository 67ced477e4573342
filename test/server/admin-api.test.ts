import { afterEach, describe, expect, it } from 'vitest';
import { expectConnectError } from '../support/node/client.js';
import { AdminClient, signRequest } from '../support/node/admin.js';
import { TestServer } from '../support/node/server.js';

const apiKey = 'k'.repeat(40);
const hmacSecret = 's'.repeat(40);

describe('admin API: access, validation and idempotency', () => {
  let server: TestServer;
  afterEach(() => server.close());

  const start = async () => {
    server = await TestServer.start({ admin: { apiKeys: [apiKey], hmacSecret } });
    return new AdminClient(server.url, { apiKey });
  };

  it('does not exist without configured credentials', async () => {
    server = await TestServer.start();
    const response = await new AdminClient(server.url, { apiKey }).get('/users/alice');
    expect(response.status).toBe(404);
    expect((await fetch(new URL('/api/admin/v1/openapi.json', server.url))).status).toBe(404);
  });

  it('refuses requests without a known key or a valid signature, and changes nothing', async () => {
    const admin = await start();
    const bare = new AdminClient(server.url, {});
    const wrongKey = new AdminClient(server.url, { apiKey: 'x'.repeat(40) });
    const wrongSecret = new AdminClient(server.url, { hmacSecret: 'y'.repeat(40) });
    for (const client of [bare, wrongKey, wrongSecret]) {
      const response = await client.put('/users/mallory', { name: 'Mallory' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    expect((await admin.get('/users/mallory')).status).toBe(404);
  });

  it('takes HMAC-signed requests once, within the time window, and only for the signed body', async () => {
    await start();
    const signed = new AdminClient(server.url, { hmacSecret });
    expect((await signed.put('/users/erin', { name: 'Erin' })).body.user).toEqual({ id: 'erin', name: 'Erin', avatar: null });

    const url = new URL('/api/admin/v1/users/erin', server.url);
    const body = JSON.stringify({ name: 'Erin Two' });
    const send = (headers: Record<string, string>, raw = body) =>
      fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: raw });

    const headers = signRequest(hmacSecret, 'PUT', url, body);
    expect((await send(headers, JSON.stringify({ name: 'Tampered' }))).status).toBe(401);
    expect((await send(headers)).status).toBe(200);
    const replayed = await send(headers);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { error: { message: string } }).error.message).toMatch(/already used/);
    const stale = signRequest(hmacSecret, 'PUT', url, body, Date.now() - 10 * 60_000);
    expect((await send(stale)).status).toBe(401);
  });

  it('validates with the protocol schemas and answers errors in the socket shape', async () => {
    const admin = await start();
    const blank = await admin.put('/users/erin', { name: '   ', avatar: 'javascript:alert(1)', extra: 1 });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe('invalid_payload');
    expect(blank.body.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'name', message: expect.any(String) },
        { path: 'avatar', message: 'must be an http(s) URL' },
        { path: 'extra', message: 'unknown field' },
      ]),
    );
    const badId = await admin.put(`/users/${encodeURIComponent('has space')}`, { name: 'X' });
    expect(badId.status).toBe(400);
    expect(badId.body.error.issues).toEqual([{ path: 'params.userId', message: 'must be printable ASCII without spaces' }]);
    const notJson = await fetch(new URL('/api/admin/v1/users/erin', server.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(notJson.status).toBe(400);
    expect((await admin.get('/users/erin')).status).toBe(404);
  });

  it('creates and updates users with roles and a bot flag; profiles show the flag to members', async () => {
    const admin = await start();
    const created = await admin.put('/users/shop-bot', {
      name: 'Shop',
      avatar: 'https://shop.example/logo.png',
      bot: true,
      roles: ['notifier'],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      user: { id: 'shop-bot', name: 'Shop', avatar: 'https://shop.example/logo.png', bot: true },
      bot: true,
      roles: ['notifier'],
      blocked: false,
      deleted: false,
    });
    const renamed = await admin.put('/users/shop-bot', { name: 'Shop updates' });
    expect(renamed.body).toMatchObject({ user: { name: 'Shop updates', avatar: null }, bot: true, roles: ['notifier'] });
    const agent = await admin.put('/users/carol', { name: 'Carol', roles: ['agent', 'agent', 'admin'] });
    expect(agent.body.roles).toEqual(['admin', 'agent']);

    const alice = await server.connect('alice');
    const found = await alice.ok('user:search', { query: 'shop' });
    expect(found.users).toEqual([{ id: 'shop-bot', name: 'Shop updates', avatar: null, bot: true }]);
  });

  it('answers a retried write with its first answer, and refuses the key for another request', async () => {
    const admin = await start();
    const key = { 'idempotency-key': 'order-1234-shipped' };
    const group = await admin.post('/groups', { ownerId: 'alice', name: 'Orders', memberIds: ['bob'] });
    const path = `/conversations/${group.body.group.id}/messages`;
    const body = { senderId: 'alice', body: { type: 'text', text: 'Your order has shipped' } };

    const first = await admin.post(path, body, key);
    expect(first.status).toBe(201);
    const again = await admin.post(path, body, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await admin.post(path, { ...body, body: { type: 'text', text: 'Another' } }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    const history = await admin.get(`${path}?afterSeq=0`);
    const texts = history.body.messages.filter((m: { body: { type: string } }) => m.body.type === 'text');
    expect(texts.map((m: { body: { text: string } }) => m.body.text)).toEqual(['Your order has shipped']);
  });

  it('blocks a user: open sessions end, new ones are refused with user_blocked until unblocked', async () => {
    const admin = await start();
    const bob = await server.connect('bob');
    const disconnected = bob.waitForDisconnect();
    const blocked = await admin.post('/users/bob/block');
    expect(blocked.body.blocked).toBe(true);
    expect(await disconnected).toBe('io server disconnect');
    const refused = await expectConnectError(server.url, await server.token('bob'));
    expect(refused.message).toBe('user_blocked');

    const group = await admin.post('/groups', { ownerId: 'alice', name: 'G', memberIds: ['bob'] });
    const sent = await admin.post(`/conversations/${group.body.group.id}/messages`, {
      senderId: 'bob',
      body: { type: 'text', text: 'blocked' },
    });
    expect(sent.status).toBe(409);
    expect(sent.body.error.code).toBe('user_blocked');

    expect((await admin.post('/users/bob/unblock')).body.blocked).toBe(false);
    expect((await server.connect('bob')).session.user.id).toBe('bob');
  });
});
