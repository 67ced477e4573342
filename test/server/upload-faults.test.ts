/**
 * An upload that fails on the server's side (here: a real full disk, a small tmpfs under
 * the file store) answers at once with a retryable error, and the keep-alive connection
 * it came on serves the next request.
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../support/node/server.js';
import { withTimeout } from '../support/node/wait.js';

/** Mounting needs root (or CAP_SYS_ADMIN); without it the test says so and is skipped. */
function canMount(): boolean {
  const root = process.getuid?.() === 0;
  if (!root) console.warn('upload-faults: skipped, mounting a small tmpfs (a real full disk) needs root');
  return root;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; retryAfterMs?: number } };
  localPort: number;
}

function post(agent: Agent, url: URL, token: string, bytes: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: { authorization: `Bearer ${token}`, 'content-length': bytes.length },
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'],
          localPort: req.socket?.localPort ?? 0,
        }),
      );
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

describe.skipIf(!canMount())('uploads on a full disk', () => {
  let server: TestServer | undefined;
  let mounted: string | undefined;
  afterEach(async () => {
    if (mounted) execFileSync('umount', [mounted]);
    mounted = undefined;
    await server?.close();
  });

  it('answers 503 unavailable with Retry-After at once, and the same connection serves the next upload', async () => {
    server = await TestServer.start();
    mounted = join(server.dataDir.path, 'files');
    await mkdir(mounted, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mounted]);
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const url = new URL('/api/files', server.url);
    url.search = new URLSearchParams({ conversationId: conversation.id, name: 'notes.txt' }).toString();
    const token = await server.token('alice');
    // One connection, kept alive: the second request must go on the first one's socket.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const full = await withTimeout(post(agent, url, token, Buffer.alloc(3 * 1024 * 1024, 'a')), 10_000, 'the answer to an upload that does not fit');
      expect(full.status).toBe(503);
      expect(full.body.error).toMatchObject({ code: 'unavailable', retryAfterMs: expect.any(Number) });
      expect(Number(full.headers['retry-after'])).toBeGreaterThan(0);

      // Nothing of the refused file stays behind, so a small one fits again.
      const small = await withTimeout(post(agent, url, token, Buffer.from('a short note\n')), 10_000, 'the next upload on the same connection');
      expect(small.status).toBe(201);
      expect(small.localPort).toBe(full.localPort);
    } finally {
      agent.destroy();
    }
  });
});
