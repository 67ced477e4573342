import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/node/client.js';
import { MainProcess } from '../support/node/main-process.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';

// A demo binds 127.0.0.1 by default; a server bound to every interface shows localhost.
const listeningLine = /^im-chat server listening on http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\/$/;

// Each test starts tsx cold, once or twice: slow on a busy machine.
describe('main (the server process)', { timeout: 120_000 }, () => {
  let dataDir: TempDir;
  const processes: MainProcess[] = [];
  beforeEach(async () => {
    dataDir = await createTempDir();
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((child) => child.stop()));
    await dataDir.remove();
  });

  function run(env: Record<string, string>, args: string[] = []) {
    const child = new MainProcess({ IM_DATA_DIR: dataDir.path, ...env }, args);
    processes.push(child);
    return child;
  }

  async function issueDemoToken(port: number): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${port}/api/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    });
    return ((await response.json()) as { token: string }).token;
  }

  it('runs a demo server, keeps its demo secret across restarts, and stops on SIGTERM', async () => {
    const first = run({ IM_PORT: '0' }, ['--demo']);
    const port = Number((await first.waitForLine(listeningLine))[1]);
    await first.waitForLine(new RegExp(`^Demo: http://127\\.0\\.0\\.1:${port}/$`));
    expect(first.stdout.match(/listening on/g)).toHaveLength(1);
    await first.waitForLine(/demo mode: only this machine can connect.*anyone/i, 'stderr');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const token = await issueDemoToken(port);
    expect((await stat(join(dataDir.path, 'demo-jwt-secret'))).mode & 0o777).toBe(0o600);
    await stat(join(dataDir.path, 'im-chat.sqlite'));

    first.signal('SIGTERM');
    expect(await first.exitCode()).toBe(0);

    const second = run({ IM_DEMO: '1', IM_PORT: '0' });
    const secondPort = Number((await second.waitForLine(listeningLine))[1]);
    const alice = await connectClient(`http://127.0.0.1:${secondPort}/`, token);
    expect(alice.session.user.id).toBe('alice');
    // Open connections do not hold the shutdown up.
    second.signal('SIGINT');
    expect(await second.exitCode()).toBe(0);
    await alice.waitForDisconnect();
  });

  it('runs with a configured secret and no demo routes', async () => {
    const child = run({ IM_PORT: '0', IM_JWT_SECRET: 'x'.repeat(32) });
    const port = Number((await child.waitForLine(listeningLine))[1]);
    expect(child.stdout).not.toMatch(/^Demo:/m);
    expect((await fetch(`http://127.0.0.1:${port}/api/demo/users`)).status).toBe(404);
    child.signal('SIGTERM');
    expect(await child.exitCode()).toBe(0);
  });

  it('refuses to start without a way to verify tokens, with a message and no stack', async () => {
    const child = run({ IM_PORT: '0' });
    expect(await child.exitCode()).toBe(1);
    expect(child.stderr).toMatch(/^im-chat: set IM_JWT_SECRET .* IM_JWKS_URL/);
    expect(child.stderr).not.toMatch(/\n\s+at /);
    expect(child.stdout).toBe('');
  });

  it('says so and exits 1 when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as { port: number };
      const child = run({ IM_PORT: String(port), IM_HOST: '127.0.0.1' }, ['--demo']);
      expect(await child.exitCode()).toBe(1);
      expect(child.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(child.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
