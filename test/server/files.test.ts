import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileInfo } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { createTeam } from '../support/node/groups.js';
import { jpegBytes, pngBytes } from '../support/node/images.js';
import { mp4Bytes, wavBytes } from '../support/node/media.js';
import { TestServer, type TestServerOptions, type TestUserId } from '../support/node/server.js';

interface UploadReply {
  file: FileInfo;
  width?: number;
  height?: number;
}

let clientIds = 0;

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('attachments', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function start(options: TestServerOptions = {}) {
    server = await TestServer.start(options);
    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const chat = (await alice.ok('conversation:start', { userId: 'bob' })).conversation.id;
    return { alice, bob, chat };
  }

  async function upload(
    who: TestUserId,
    conversationId: string,
    name: string,
    bytes: Uint8Array | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId, name }).toString();
    const init: RequestInit & { duplex?: 'half' } = {
      method: 'POST',
      body: bytes,
      headers: { authorization: `Bearer ${await server.token(who)}`, ...headers },
    };
    if (bytes instanceof ReadableStream) init.duplex = 'half';
    return fetch(url, init);
  }

  async function uploaded(who: TestUserId, conversationId: string, name: string, bytes: Buffer) {
    const response = await upload(who, conversationId, name, new Uint8Array(bytes));
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as UploadReply;
  }

  async function download(client: TestClient, conversationId: string, fileId: string, init?: RequestInit) {
    const { token } = await client.ok('file:access', { conversationId });
    return downloadWith(token, fileId, init);
  }

  const downloadWith = (token: string, fileId: string, init?: RequestInit) =>
    fetch(new URL(`/api/files/${fileId}?access=${encodeURIComponent(token)}`, server.url), init);

  const sendAttachment = (from: TestClient, conversationId: string, type: 'image' | 'file' | 'video', fileId: string) =>
    from.command('message:send', { conversationId, clientId: `file-test-${++clientIds}`, body: { type, fileId } });
  const sendVoice = (from: TestClient, conversationId: string, fileId: string, duration: number, waveform: number[]) =>
    from.command('message:send', {
      conversationId,
      clientId: `file-test-${++clientIds}`,
      body: { type: 'voice', fileId, duration, waveform },
    });

  /** Every blob in the data dir's file store, temporary ones included. */
  async function storedBlobs(): Promise<string[]> {
    const root = join(server.dataDir.path, 'files');
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  }

  it('lets a member upload an image and another download it, with safe headers', async () => {
    const { bob, chat } = await start();
    const png = pngBytes(3, 2);
    const reply = await uploaded('alice', chat, 'holiday.png', png);
    expect(reply).toEqual({
      file: { id: reply.file.id, name: 'holiday.png', mime: 'image/png', size: png.length },
      width: 3,
      height: 2,
    });
    expect(reply.file.id).toMatch(/^[A-Za-z0-9_-]{22,}$/);

    const response = await download(bob, chat, reply.file.id);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
    const headers = Object.fromEntries(response.headers);
    expect(headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.length),
      'content-disposition': `inline; filename="holiday.png"; filename*=UTF-8''holiday.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'accept-ranges': 'bytes',
    });
    const maxAge = Number(/^private, max-age=(\d+)$/.exec(headers['cache-control']!)?.[1]);
    expect(maxAge).toBeGreaterThan(3500);
    expect(maxAge).toBeLessThanOrEqual(3600);
  });

  it('serves other files as downloads under their exact name, and byte ranges', async () => {
    const { bob, chat } = await start();
    const text = Buffer.from('Hello, 世界 — notes\n');
    const reply = await uploaded('alice', chat, '会议 notes (1).txt', text);
    expect(reply).toEqual({ file: expect.objectContaining({ mime: 'text/plain', size: text.length }) });

    const whole = await download(bob, chat, reply.file.id);
    expect(whole.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(whole.headers.get('content-disposition')).toBe(
      `attachment; filename="__ notes (1).txt"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%20notes%20%281%29.txt`,
    );
    expect(await whole.text()).toBe(text.toString());

    const part = await download(bob, chat, reply.file.id, { headers: { range: 'bytes=0-4' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-4/${text.length}`);
    expect(await part.text()).toBe('Hello');
    const beyond = await download(bob, chat, reply.file.id, { headers: { range: `bytes=${text.length}-` } });
    expect(beyond.status).toBe(416);
  });

  it('refuses uploads and downloads to people outside the conversation', async () => {
    const { alice, chat } = await start();
    const dave = await server.connect('dave');
    const refused = await upload('dave', chat, 'a.png', new Uint8Array(pngBytes(1, 1)));
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ error: { code: 'not_found', message: 'no such conversation' } });
    expect(await storedBlobs()).toEqual([]);

    const { file } = await uploaded('alice', chat, 'a.png', pngBytes(1, 1));
    expect(await dave.command('file:access', { conversationId: chat })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    // Dave's token for a conversation of his own opens nothing of Alice and Bob's.
    const own = (await dave.ok('conversation:start', { userId: 'alice' })).conversation.id;
    const { token } = await dave.ok('file:access', { conversationId: own });
    expect((await downloadWith(token, file.id)).status).toBe(404);
    expect((await download(alice, chat, file.id)).status).toBe(200);

    const anonymous = await fetch(new URL(`/api/files?conversationId=${chat}&name=a.png`, server.url), {
      method: 'POST',
      body: new Uint8Array(pngBytes(1, 1)),
    });
    expect(anonymous.status).toBe(401);
    expect(await errorCode(anonymous)).toBe('unauthenticated');
  });

  it('stops serving a group’s files to a member once removed', async () => {
    const { alice } = await start();
    const carol = await server.connect('carol');
    const team = await createTeam(alice);
    const { file } = await uploaded('alice', team, 'plan.png', pngBytes(4, 4));
    const { token } = await carol.ok('file:access', { conversationId: team });
    expect((await downloadWith(token, file.id)).status).toBe(200);

    await alice.ok('group:remove-member', { conversationId: team, userId: 'carol' });
    const after = await downloadWith(token, file.id);
    expect(after.status).toBe(404);
    expect(await errorCode(after)).toBe('not_found');
  });

  it('refuses a file over the limit with 413 and the limit, and keeps nothing', async () => {
    const { chat } = await start({ files: { maxBytes: 1000 } });
    const declared = await upload('alice', chat, 'big.txt', new Uint8Array(1001).fill(0x61));
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({
      error: { code: 'file_too_large', message: expect.stringContaining('1000 bytes'), maxBytes: 1000 },
    });

    // Without a Content-Length, the stream is cut off when it passes the limit.
    const chunks = [new Uint8Array(600).fill(0x61), new Uint8Array(600).fill(0x62)];
    const streamed = await upload('alice', chat, 'big.txt', new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    }));
    expect(streamed.status, await streamed.clone().text()).toBe(413);
    expect(await errorCode(streamed)).toBe('file_too_large');
    expect(await storedBlobs()).toEqual([]);

    const fits = await upload('alice', chat, 'fits.txt', new Uint8Array(1000).fill(0x61));
    expect(fits.status).toBe(201);
  });

  it('judges content by its bytes, never by its name', async () => {
    const { alice, bob, chat } = await start();
    const html = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
    const disguised = await uploaded('alice', chat, 'x.png', html);
    expect(disguised).toEqual({ file: expect.objectContaining({ name: 'x.png', mime: 'text/plain' }) });
    const served = await download(bob, chat, disguised.file.id);
    expect(served.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(await sendAttachment(alice, chat, 'image', disguised.file.id)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });

    const executable = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)]);
    const exe = await upload('alice', chat, 'x.png', new Uint8Array(executable), { 'content-type': 'image/png' });
    expect(exe.status, await exe.clone().text()).toBe(415);
    expect(await errorCode(exe)).toBe('file_type_not_allowed');
    const binary = await upload('alice', chat, 'data.txt', new Uint8Array([0x00, 0xff, 0x10, 0x00]));
    expect(binary.status).toBe(415);
    expect(await storedBlobs()).toHaveLength(1); // the text file only
  });

  it('reads the displayed width and height of PNG and JPEG images', async () => {
    const { chat } = await start();
    expect(await uploaded('alice', chat, 'wide.png', pngBytes(40, 7))).toMatchObject({ width: 40, height: 7 });
    expect(await uploaded('alice', chat, 'photo.jpg', jpegBytes(320, 240))).toMatchObject({
      file: { mime: 'image/jpeg' },
      width: 320,
      height: 240,
    });
    // A phone photo stored sideways with an EXIF rotation shows upright: the sizes swap.
    expect(await uploaded('alice', chat, 'turned.jpg', jpegBytes(320, 240, 6))).toMatchObject({
      width: 240,
      height: 320,
    });
  });

  it('plays a video inline with the size and length its file says, and a browser recording without them', async () => {
    const { alice, bob, chat } = await start();
    const clip = await uploaded('alice', chat, 'clip.mp4', mp4Bytes({ width: 1280, height: 720, durationMs: 61_500 }));
    expect(clip).toMatchObject({ file: { mime: 'video/mp4' }, width: 1280, height: 720, duration: 61_500 });
    const expected = { type: 'video', file: clip.file, width: 1280, height: 720, duration: 61_500 };
    expect(await sendAttachment(alice, chat, 'video', clip.file.id)).toMatchObject({ ok: true, data: { message: { body: expected } } });
    expect((await bob.waitFor('message:new', (message) => message.conversationId === chat)).body).toEqual(expected);

    // Recorded in a browser: fragments follow the header, which knows the picture but not the length.
    const recorded = await uploaded('alice', chat, 'rec.mp4', mp4Bytes({ width: 640, height: 360, durationMs: 40, fragmented: true }));
    expect(recorded).not.toHaveProperty('duration');
    expect(await sendAttachment(alice, chat, 'video', recorded.file.id)).toMatchObject({
      ok: true,
      data: { message: { body: { type: 'video', file: recorded.file, width: 640, height: 360 } } },
    });

    const picture = await uploaded('alice', chat, 'cat.png', pngBytes(4, 4));
    expect(await sendAttachment(alice, chat, 'video', picture.file.id)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('sends a voice message with the length the file says, else the recorder’s, and only audio', async () => {
    const { alice, bob, chat } = await start();
    const waveform = [0, 12, 40, 100, 63, 5];
    const wav = await uploaded('alice', chat, 'voice.wav', wavBytes(2_500));
    expect(wav).toMatchObject({ file: { mime: 'audio/wav' }, duration: 2_500 });
    // The server's reading of the file wins over what the client measured.
    expect(await sendVoice(alice, chat, wav.file.id, 9_000, waveform)).toMatchObject({
      ok: true,
      data: { message: { body: { type: 'voice', file: wav.file, duration: 2_500, waveform } } },
    });
    const received = await bob.waitFor('message:new', (message) => message.conversationId === chat);
    expect(received.body).toEqual({ type: 'voice', file: wav.file, duration: 2_500, waveform });

    // A browser's recording (a container the sniffer calls video) of unknown length: the recorder's.
    const recorded = await uploaded('alice', chat, 'voice.mp4', mp4Bytes({ width: 1, height: 1, durationMs: 40, fragmented: true }));
    expect(await sendVoice(alice, chat, recorded.file.id, 4_200, waveform)).toMatchObject({
      ok: true,
      data: { message: { body: { type: 'voice', duration: 4_200 } } },
    });

    const picture = await uploaded('alice', chat, 'cat.png', pngBytes(4, 4));
    expect(await sendVoice(alice, chat, picture.file.id, 1_000, waveform)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    for (const bad of [{ duration: 0 }, { duration: 10 * 60_000 + 1 }, { waveform: [101] }, { waveform: Array(101).fill(1) }]) {
      const body = { type: 'voice' as const, fileId: wav.file.id, duration: 1_000, waveform, ...bad };
      expect(await alice.command('message:send', { conversationId: chat, clientId: `file-test-${++clientIds}`, body })).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
    }
  });

  it('ignores access tokens that are forged, expired or for another conversation', async () => {
    let now = Date.now();
    const { alice, bob, chat } = await start({ clock: { now: () => now } });
    const { file } = await uploaded('alice', chat, 'a.png', pngBytes(2, 2));
    const { token, expiresAt } = await bob.ok('file:access', { conversationId: chat });
    expect(expiresAt - now).toBeGreaterThan(59 * 60_000);
    expect(expiresAt - now).toBeLessThanOrEqual(60 * 60_000);

    const [user, expiry, mac] = token.split('.') as [string, string, string];
    const forged = [
      `${user}.${expiry}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `${Buffer.from('alice').toString('base64url')}.${expiry}.${mac}`,
      `${user}.${Number(expiry) + 3600}.${mac}`,
      'not-a-token',
    ];
    for (const bad of forged) expect((await downloadWith(bad, file.id)).status).toBe(404);

    const team = await createTeam(alice, ['bob'], []);
    const { token: teamToken } = await bob.ok('file:access', { conversationId: team });
    expect((await downloadWith(teamToken, file.id)).status).toBe(404);

    expect((await downloadWith(token, file.id)).status).toBe(200);
    now = expiresAt + 1;
    expect((await downloadWith(token, file.id)).status).toBe(404);
  });

  it('fills an image message from the server’s record, for every member', async () => {
    const { alice, bob, chat } = await start();
    const { file } = await uploaded('alice', chat, 'cat.png', pngBytes(30, 20));
    const sent = await sendAttachment(alice, chat, 'image', file.id);
    const expected = { type: 'image', file, width: 30, height: 20 };
    expect(sent).toMatchObject({ ok: true, data: { message: { body: expected } } });
    const received = await bob.waitFor('message:new', (message) => message.conversationId === chat);
    expect(received.body).toEqual(expected);

    expect(await sendAttachment(alice, chat, 'file', file.id)).toMatchObject({
      ok: true,
      data: { message: { body: { type: 'file', file } } },
    });
    expect(await sendAttachment(alice, chat, 'image', 'AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('forwards a file only into conversations of someone who can see it', async () => {
    const { alice, bob, chat } = await start();
    const carol = await server.connect('carol');
    const dave = await server.connect('dave');
    const team = await createTeam(alice);
    const { file } = await uploaded('alice', chat, 'cat.png', pngBytes(5, 5));

    const forwarded = await sendAttachment(bob, team, 'image', file.id);
    if (!forwarded.ok) throw new Error(JSON.stringify(forwarded.error));
    const body = forwarded.data.message.body;
    if (body.type !== 'image') throw new Error(`expected an image, got ${body.type}`);
    expect(body).toEqual({ type: 'image', file: { ...file, id: body.file.id }, width: 5, height: 5 });
    expect(body.file.id).not.toBe(file.id);
    const again = await sendAttachment(alice, team, 'image', file.id);
    expect(again).toMatchObject({ ok: true, data: { message: { body: { file: { id: body.file.id } } } } });

    // Carol sees it in the team, and only there.
    const inTeam = await download(carol, team, body.file.id);
    expect(Buffer.from(await inTeam.arrayBuffer())).toEqual(pngBytes(5, 5));
    const { token } = await carol.ok('file:access', { conversationId: team });
    expect((await downloadWith(token, file.id)).status).toBe(404);

    // Dave is in neither: he can neither forward the original nor the team's copy.
    const daveChat = (await dave.ok('conversation:start', { userId: 'alice' })).conversation.id;
    for (const id of [file.id, body.file.id]) {
      expect(await sendAttachment(dave, daveChat, 'file', id)).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    }
  });

  it('takes uploads from allowed origins only, preflight included', async () => {
    const { chat } = await start({ allowedOrigins: ['https://shop.example'] });
    const preflight = (origin: string) =>
      fetch(new URL('/api/files', server.url), {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://shop.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();

    const png = new Uint8Array(pngBytes(1, 1));
    const fromShop = await upload('alice', chat, 'a.png', png, { origin: 'https://shop.example' });
    expect(fromShop.status).toBe(201);
    expect(fromShop.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const fromElsewhere = await upload('alice', chat, 'a.png', png, { origin: 'https://evil.example' });
    expect(fromElsewhere.status).toBe(403);
    expect(await errorCode(fromElsewhere)).toBe('origin_not_allowed');
  });
});
