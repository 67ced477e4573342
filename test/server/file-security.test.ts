import { afterEach, describe, expect, it } from 'vitest';
import type { FileInfo } from '../../src/protocol/index.js';
import { AdminClient, testApiKey } from '../support/node/admin.js';
import type { TestClient } from '../support/node/client.js';
import { manualClock } from '../support/node/clock.js';
import { TestServer, type TestServerOptions, type TestUserId } from '../support/node/server.js';

let clientIds = 0;

/** Uploads, downloads and the names shown for them, as a hostile or blocked user meets them. */
describe('file access and names', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function start(options: TestServerOptions = {}) {
    server = await TestServer.start({ admin: { apiKeys: [testApiKey] }, ...options });
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    return { alice, bob, chat, admin: new AdminClient(server.url, { apiKey: testApiKey }) };
  }

  async function upload(who: TestUserId, conversationId: string, name: string, text = 'some notes'): Promise<Response> {
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId, name }).toString();
    return fetch(url, {
      method: 'POST',
      body: new TextEncoder().encode(text),
      headers: { authorization: `Bearer ${await server.token(who)}` },
    });
  }

  async function uploaded(who: TestUserId, conversationId: string, name: string): Promise<FileInfo> {
    const response = await upload(who, conversationId, name);
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { file: FileInfo }).file;
  }

  const download = (token: string, fileId: string) =>
    fetch(new URL(`/api/files/${fileId}?access=${encodeURIComponent(token)}`, server.url));

  const sendFile = (from: TestClient, conversationId: string, fileId: string) =>
    from.ok('message:send', { conversationId, clientId: `file-security-${++clientIds}`, body: { type: 'file', fileId } });

  it('drops bidi controls from an uploaded name, so an .exe cannot pass as a .pdf', async () => {
    const { alice, bob, chat } = await start();
    const file = await uploaded('alice', chat, 'invoice\u202Efdp.exe');
    expect(file.name).toBe('invoicefdp.exe');
    const isolated = await uploaded('alice', chat, '\u2067report\u2069\u200F.txt');
    expect(isolated.name).toBe('report.txt');

    await sendFile(alice, chat, file.id);
    const [message] = (await bob.ok('message:history', { conversationId: chat, limit: 10 })).messages;
    expect(message!.body).toMatchObject({ type: 'file', file: { name: 'invoicefdp.exe' } });
    const { token } = await bob.ok('file:access', { conversationId: chat });
    const response = await download(token, file.id);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="invoicefdp.exe"; filename*=UTF-8''invoicefdp.exe`,
    );

    const onlyControls = await upload('alice', chat, '\u202E\u202D');
    expect(onlyControls.status).toBe(400);
    expect(await onlyControls.json()).toMatchObject({ error: { code: 'invalid_payload' } });
  });

  it('holds a burst of uploads to the per-user upload rate, with a clear error', async () => {
    const { chat } = await start({ clock: manualClock(), uploadRateLimit: { capacity: 3, refillPerSecond: 0.1 } });
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => upload('alice', chat, `burst-${i}.txt`)));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(3);
    const refused = responses.filter((response) => response.status !== 201);
    expect(refused.map((response) => response.status)).toEqual([429, 429, 429]);
    for (const response of refused) {
      expect(response.headers.get('retry-after')).toBe('10');
      expect(await response.json()).toMatchObject({ error: { code: 'rate_limited', retryAfterMs: 10_000 } });
    }
    // Bob's uploads are his own.
    expect((await upload('bob', chat, 'mine.txt')).status).toBe(201);
  });

  it('ends a blocked user’s uploads and downloads at once, old tokens and file URLs included', async () => {
    const { alice, bob, chat, admin } = await start();
    const before = await uploaded('alice', chat, 'before.txt');
    await sendFile(alice, chat, before.id);
    // Minted while Bob was not blocked: a page could hold on to it.
    const { token: bobsAccess } = await bob.ok('file:access', { conversationId: chat });
    expect((await download(bobsAccess, before.id)).status).toBe(200);

    expect((await admin.post('/users/bob/block')).body.blocked).toBe(true);
    const refusedUpload = await upload('bob', chat, 'after-block.txt');
    expect(refusedUpload.status).toBe(403);
    expect(await refusedUpload.json()).toMatchObject({ error: { code: 'user_blocked' } });

    const after = await uploaded('alice', chat, 'after.txt');
    await sendFile(alice, chat, after.id);
    for (const fileId of [before.id, after.id]) {
      const refused = await download(bobsAccess, fileId);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'user_blocked' } });
    }
    // Alice's own access is untouched.
    const { token: alicesAccess } = await alice.ok('file:access', { conversationId: chat });
    expect((await download(alicesAccess, after.id)).status).toBe(200);

    await admin.post('/users/bob/unblock');
    expect((await upload('bob', chat, 'unblocked.txt')).status).toBe(201);
    expect((await download(bobsAccess, after.id)).status).toBe(200);
  });
});
