import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoAgents, demoUsers } from '../../src/server/demo.js';
import { connectClient } from '../support/node/client.js';
import { TestServer } from '../support/node/server.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';

describe('HTTP', () => {
  let server: TestServer;
  let files: TempDir;
  afterEach(async () => {
    await server.close();
    await files?.remove();
  });

  async function startWithFiles(options: { demo: boolean }) {
    files = await createTempDir();
    const demoDir = join(files.path, 'demo');
    const distDir = join(files.path, 'dist');
    await mkdir(demoDir);
    await mkdir(distDir);
    await writeFile(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(demoDir, 'app.js'), 'export {};');
    await writeFile(join(distDir, 'im-chat.js'), 'export {};');
    await writeFile(join(files.path, 'secret.txt'), 'not for the web');
    server = await TestServer.start({ ...options, demoDir, distDir });
  }

  const get = (path: string, init?: RequestInit) =>
    fetch(new URL(path, server.url), { redirect: 'manual', ...init });
  const postToken = (body: string, contentType = 'application/json') =>
    get('/api/demo/token', { method: 'POST', body, headers: { 'content-type': contentType } });

  it('answers /healthz', async () => {
    server = await TestServer.start();
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the demo pages with strict security headers', async () => {
    await startWithFiles({ demo: true });
    const root = await get('/');
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/demo/');

    const page = await get('/demo/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>demo</title>');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
        "connect-src 'self' ws: wss:; base-uri 'none'; frame-ancestors 'self'",
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');

    const script = await get('/demo/app.js');
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');

    for (const path of ['/demo/../secret.txt', '/demo/%2e%2e/secret.txt', '/demo/missing.html']) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('not for the web');
    }
  });

  it('serves the widget bundle to any site', async () => {
    await startWithFiles({ demo: false });
    const bundle = await get('/dist/im-chat.js', { headers: { origin: 'https://shop.example' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('access-control-allow-origin')).toBe('*');
    expect(bundle.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('issues demo tokens for seeded demo users only', async () => {
    await startWithFiles({ demo: true });
    const users = await get('/api/demo/users');
    expect(await users.json()).toEqual({ users: demoUsers, agents: demoAgents });

    const issued = await postToken(JSON.stringify({ userId: 'carol' }));
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const { token, expiresAt } = (await issued.json()) as { token: string; expiresAt: number };
    expect(expiresAt).toBeGreaterThan(Date.now());
    const carol = await connectClient(server.url, token);
    expect(carol.session.user).toEqual({ id: 'carol', name: 'Carol', avatar: null });
    carol.close();

    const unknown = await postToken(JSON.stringify({ userId: 'mallory' }));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

    const badBodies = ['{}', '{"userId":5}', '{"userId":"alice","admin":1}', '{"userId', '[]', 'null'];
    for (const body of badBodies) {
      const response = await postToken(body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_payload' } });
    }
    const notJson = await postToken('userId=alice', 'application/x-www-form-urlencoded');
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_payload' } });
  });

  it('closes connections and HTTP on close(), and leaves the storage to its owner', async () => {
    server = await TestServer.start();
    const viaWebSocket = await server.connect('alice');
    const viaPolling = await server.connect('bob', { transports: ['polling'] });
    await server.server.close();
    await viaWebSocket.waitForDisconnect();
    await viaPolling.waitForDisconnect();
    await expect(fetch(new URL('/healthz', server.url))).rejects.toThrow();
    expect(await server.storage.accounts.read.users(['alice'])).toHaveLength(1);
  });

  it('seeds the demo group once, with a permanent link that anyone may join with', async () => {
    server = await TestServer.start({ demo: true });
    const response = await get('/api/demo/group-invite');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const link = (await response.json()) as { code: string; conversationId: string; name: string };
    expect(link).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      conversationId: expect.any(String),
      name: 'im-chat community',
    });

    const alice = await server.connect('alice');
    const sync = await alice.ok('conversation:sync', { cursor: null });
    expect(sync.conversations).toMatchObject([
      {
        id: link.conversationId,
        type: 'group',
        role: 'owner',
        memberCount: 2,
        joinPolicy: 'open',
        description: expect.stringMatching(/\S/),
        announcement: expect.stringMatching(/\S/),
      },
    ]);
    const carol = await server.connect('carol');
    expect(await carol.ok('invite:join', { code: link.code })).toMatchObject({
      status: 'joined',
      conversation: { id: link.conversationId, memberCount: 3 },
    });
    const { invites } = await alice.ok('invite:list', { conversationId: link.conversationId });
    expect(invites).toMatchObject([{ code: link.code, expiresAt: null, maxUses: null, uses: 1 }]);

    // A restart finds the group and its link again.
    await server.restart();
    const again = (await (await get('/api/demo/group-invite')).json()) as typeof link;
    expect(again).toEqual(link);
    expect(await server.storage.conversations.read.idsOf('alice')).toEqual([link.conversationId]);
    expect((await server.storage.conversations.read.get(link.conversationId))?.memberIds).toHaveLength(3);

    // Once the link is revoked, the route says so; the next start makes a new one.
    const aliceAgain = await server.connect('alice');
    await aliceAgain.ok('invite:revoke', { conversationId: link.conversationId, code: link.code });
    const gone = await get('/api/demo/group-invite');
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: { code: 'invite_invalid', message: expect.any(String) } });
    await server.restart();
    const renewed = (await (await get('/api/demo/group-invite')).json()) as typeof link;
    expect(renewed.code).not.toBe(link.code);
  });

  it('has no demo routes and no demo pages outside demo mode', async () => {
    server = await TestServer.start();
    const responses = [
      await get('/api/demo/users'),
      await get('/api/demo/group-invite'),
      await postToken('{"userId":"alice"}'),
      await get('/'),
    ];
    for (const response of responses) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'not_found', message: expect.any(String) },
      });
    }
  });
});
