import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileInfo } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { manualClock } from '../support/node/clock.js';
import { createTeam } from '../support/node/groups.js';
import { TestServer, type TestServerOptions, type TestUserId } from '../support/node/server.js';

let clientIds = 0;

/** What a user meets who uploads more than they may keep, or uploads and never sends. */
describe('upload quota and unsent uploads', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function start(options: TestServerOptions = {}) {
    server = await TestServer.start(options);
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    return { alice, bob, chat };
  }

  /** An upload of `size` bytes of text; `streamed` sends it without a Content-Length. */
  async function upload(who: TestUserId, conversationId: string, size: number, streamed = false): Promise<Response> {
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId, name: `notes-${size}.txt` }).toString();
    const bytes = new TextEncoder().encode('n'.repeat(size));
    const body = streamed
      ? new ReadableStream({ start: (controller) => (controller.enqueue(bytes), controller.close()) })
      : bytes;
    return fetch(url, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${await server.token(who)}` },
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
  }

  async function uploaded(who: TestUserId, conversationId: string, size: number): Promise<FileInfo> {
    const response = await upload(who, conversationId, size);
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { file: FileInfo }).file;
  }

  const send = (from: TestClient, conversationId: string, fileId: string) =>
    from.command('message:send', { conversationId, clientId: `quota-test-${++clientIds}`, body: { type: 'file', fileId } });

  async function download(as: TestClient, conversationId: string, fileId: string): Promise<Response> {
    const { token } = await as.ok('file:access', { conversationId });
    return fetch(new URL(`/api/files/${fileId}?access=${encodeURIComponent(token)}`, server.url));
  }

  async function storedBlobs(): Promise<number> {
    const root = join(server.dataDir.path, 'files');
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile()).length;
  }

  async function expectQuotaExceeded(response: Response, mentions: RegExp): Promise<void> {
    expect(response.status).toBe(413);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('quota_exceeded');
    expect(error.message).toMatch(mentions);
  }

  it('refuses uploads past what may wait unsent, stores nothing, and takes them again once sent', async () => {
    const { alice, chat } = await start({ files: { unsentMaxBytes: 50 } });
    const first = await uploaded('alice', chat, 30);

    await expectQuotaExceeded(await upload('alice', chat, 30), /wait to be sent.*send them first/);
    // Without a length announced, the bytes are read, then refused and deleted.
    await expectQuotaExceeded(await upload('alice', chat, 30, true), /wait to be sent/);
    expect(await storedBlobs()).toBe(1);
    expect(await server.storage.files.read.usage('alice')).toEqual({ bytes: 30, unsentBytes: 30 });
    expect((await upload('bob', chat, 30)).status).toBe(201);

    expect(await send(alice, chat, first.id)).toMatchObject({ ok: true });
    expect((await upload('alice', chat, 30)).status).toBe(201);
  });

  it('refuses uploads past the user’s quota, sent ones included, until unsent ones expire', async () => {
    const clock = manualClock();
    const { alice, chat } = await start({
      clock,
      files: { quotaBytes: 100, unsentTtlMs: 60_000, unsentSweepIntervalMs: 20 },
    });
    const sent = await uploaded('alice', chat, 60);
    expect(await send(alice, chat, sent.id)).toMatchObject({ ok: true });
    await uploaded('alice', chat, 30);

    await expectQuotaExceeded(await upload('alice', chat, 30), /take up 100 bytes per user and yours take up 90 bytes/);
    await expectQuotaExceeded(await upload('alice', chat, 30, true), /per user/);
    expect(await storedBlobs()).toBe(2);

    clock.advance(60_001);
    await vi.waitFor(async () => expect(await server.storage.files.read.usage('alice')).toEqual({ bytes: 60, unsentBytes: 0 }));
    expect((await upload('alice', chat, 30)).status).toBe(201);
  });

  it('deletes an upload no message carried after a while, bytes included, and keeps sent and forwarded ones', async () => {
    const clock = manualClock();
    const { alice, bob, chat } = await start({ clock, files: { unsentTtlMs: 60_000, unsentSweepIntervalMs: 20 } });
    const team = await createTeam(alice);
    const sent = await uploaded('alice', chat, 10);
    const unsent = await uploaded('alice', chat, 11);
    const forwardedOnly = await uploaded('alice', chat, 12);
    expect(await send(alice, chat, sent.id)).toMatchObject({ ok: true });
    const forward = await send(bob, team, forwardedOnly.id);
    if (!forward.ok) throw new Error(JSON.stringify(forward.error));
    const copy = forward.data.message.body as { file: FileInfo };
    expect((await download(bob, chat, unsent.id)).status).toBe(200);
    expect(await storedBlobs()).toBe(3);

    clock.advance(60_001);
    await vi.waitFor(async () => expect(await server.storage.files.read.get(unsent.id)).toBeNull());
    await vi.waitFor(async () => expect(await server.storage.files.read.get(forwardedOnly.id)).toBeNull());

    const gone = await download(bob, chat, unsent.id);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await send(alice, chat, unsent.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The sent file and the forwarded copy stay, with their bytes; the copy's bytes are shared.
    expect(await (await download(bob, chat, sent.id)).text()).toBe('n'.repeat(10));
    expect(await (await download(alice, team, copy.file.id)).text()).toBe('n'.repeat(12));
    expect(await storedBlobs()).toBe(2);
  });
});
