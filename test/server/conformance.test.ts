import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { commands, serverEvents } from '../../src/protocol/commands.js';
import { allChecks, runConformance } from '../conformance/suite.js';
import { adminApiAgents } from '../conformance/agents.js';
import { commandTokens, secretTokens } from '../conformance/tokens.js';
import { TestServer } from '../support/node/server.js';
import { defaultPushServiceHosts } from '../../src/server/push/push-endpoint.js';
import { conformancePushHost } from '../conformance/checks/awareness.js';

/** The suite subscribes to a push service of its own, which the server under test must accept. */
const conformancePush = { serviceHosts: [...defaultPushServiceHosts, conformancePushHost] };

describe('the protocol conformance suite', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('passes every check against the reference server, and exercises every command and server event', async () => {
    const adminKey = randomBytes(32).toString('base64url');
    server = await TestServer.start({ push: conformancePush, users: [], admin: { apiKeys: [adminKey] } });
    const results = await runConformance({
      url: server.url,
      tokens: secretTokens(server.secret),
      agents: adminApiAgents(server.url, adminKey),
    });
    expect(results.map((result) => result.name)).toEqual(allChecks.map((check) => check.name));
    expect(results.filter((result) => !result.passed)).toEqual([]);
    const sent = new Set(results.flatMap((result) => result.commands));
    const heard = new Set(results.flatMap((result) => result.events));
    expect(Object.keys(commands).filter((name) => !sent.has(name)), 'commands no check sends').toEqual([]);
    // Only a fault sends sync:required (a relay lost between processes): the scale-out tests cover it.
    const faultOnly = new Set(['sync:required']);
    const unheard = Object.keys(serverEvents).filter((name) => !heard.has(name) && !faultOnly.has(name));
    expect(unheard, 'events no check receives').toEqual([]);
  });

  it('runs from the command line with a readable report and an exit code', async () => {
    const secret = 'c'.repeat(40);
    server = await TestServer.start({ push: conformancePush, users: [], jwtSecret: secret });
    const run = (args: string[]) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile('npx', ['tsx', 'test/conformance/run.ts', ...args], { timeout: 60_000 }, (error, stdout) =>
          resolve({ code: error ? Number(error.code) : 0, stdout }),
        );
      });
    const passing = await run(['--url', server.url, '--token-secret', secret, '--only', 'handshake']);
    expect(passing.stdout).toContain('✓ handshake: session:ready comes first');
    expect(passing.stdout).toMatch(/^2 passed, 0 failed$/m);
    expect(passing.code).toBe(0);
    const failing = await run(['--url', server.url, '--token-secret', 'w'.repeat(40), '--only', 'session:ready']);
    expect(failing.stdout).toMatch(/✗ handshake: session:ready[^\n]*\n\s+the handshake was refused: unauthenticated/);
    expect(failing.stdout).toMatch(/^0 passed, 1 failed$/m);
    expect(failing.code).toBe(1);
  });

  it('gets its tokens from a command, as for a server whose keys it does not hold', async () => {
    server = await TestServer.start({ push: conformancePush, users: [] });
    const secret = Buffer.from(server.secret).toString('base64');
    // The host's own signing script, here a one-line Node program reading IM_SUB, IM_NAME, IM_EXP.
    const script =
      "import('jose').then(async ({ SignJWT }) => process.stdout.write(await new SignJWT({ name: process.env.IM_NAME })" +
      ".setProtectedHeader({ alg: 'HS256' }).setSubject(process.env.IM_SUB).setExpirationTime(Number(process.env.IM_EXP))" +
      `.sign(Buffer.from('${secret}', 'base64'))))`;
    const results = await runConformance({
      url: server.url,
      tokens: commandTokens(`node -e "${script}"`),
      only: 'handshake',
    });
    expect(results.length).toBe(2);
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });

  it('reports what a server that acknowledges everything gets wrong', async () => {
    const http = createServer();
    const io = new Server(http);
    io.on('connection', (socket) => {
      socket.emit('session:ready', { user: { id: 'x', name: 'x', avatar: null }, serverTime: Date.now(), expiresAt: null });
      socket.onAny((...args: unknown[]) => {
        const ack = args.at(-1);
        if (typeof ack === 'function') ack({ ok: true, data: {} });
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const results = await runConformance({ url, tokens: secretTokens('s'.repeat(32)) });
      const failed = results.filter((result) => !result.passed);
      expect(failed.length).toBeGreaterThan(allChecks.length - 2);
      expect(failed.find((result) => result.name.startsWith('handshake: no token'))?.reason).toMatch(/accepted where a refusal/);
    } finally {
      io.close();
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
