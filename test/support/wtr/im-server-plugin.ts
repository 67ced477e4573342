/**
 * A @web/test-runner plugin that gives browser tests a real im-chat server: started in
 * `serverStart` from the real entry point on its own SQLite files, and controlled from
 * tests through server commands (see test/support/browser/im-server.ts). Each browser
 * engine gets a server of its own, so engines can run side by side while a test in one
 * stops and restarts its server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { BrowserLauncher, TestRunnerPlugin } from '@web/test-runner-core';
import { ServerProcess } from '../node/server-process.js';
import { ThrottledRelay } from '../node/throttled-relay.js';
import { RelayOutage, type RelayClusterStart } from './relay-outage.js';

export interface TokenRequest {
  sub: string;
  name?: string;
  /** Seconds until expiry; negative makes an already expired token. Default one hour. */
  expiresIn?: number;
}

/** A call the host's backend makes to the admin API. */
export interface AdminRequest {
  method: string;
  path: string;
  body?: unknown;
}

const relayCommands = new Set(['im-relay-cluster-start', 'im-relay-chat', 'im-relay-lose', 'im-relay-restore', 'im-relay-cluster-stop']);
const serverCommands = new Set(['im-throttled-server-url', 'im-server-url', 'im-admin', 'im-token', 'im-server-stop', 'im-server-start']);

export function imServerPlugin(): TestRunnerPlugin<unknown> {
  // Host backends share the secret as a string; tokens are signed with its UTF-8 bytes.
  const secret = randomBytes(32).toString('base64url');
  const signingKey = new TextEncoder().encode(secret);
  // The host backend's key to the admin API; tests reach it through a server command.
  const adminKey = randomBytes(32).toString('base64url');
  const dataDirs: string[] = [];
  // Started at an engine's first command, so an engine that is not run costs nothing.
  const servers = new Map<BrowserLauncher, Promise<ServerProcess>>();
  let env: Record<string, string> | null = null;
  let origin = '';
  const relays: ThrottledRelay[] = [];
  // Started only by the tests that need PostgreSQL and Redis; the others never wait for it.
  let relayOutage: RelayOutage | null = null;

  const newDataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'im-chat-wtr-'));
    dataDirs.push(dir);
    return dir;
  };

  /** Two processes on PostgreSQL and Redis whose relay a test cuts (see relay-outage.ts). */
  const relayCommand = async (command: string, payload: unknown) => {
    switch (command) {
      case 'im-relay-cluster-start': {
        const { sub } = payload as { sub: string };
        await relayOutage?.close();
        relayOutage = await RelayOutage.start(origin);
        const started: RelayClusterStart = relayOutage
          ? { available: true, ...(await relayOutage.entry(sub)) }
          : { available: false };
        return started;
      }
      case 'im-relay-chat': {
        const { from, to } = payload as { from: string; to: string };
        if (!relayOutage) throw new Error('im-relay-cluster-start first');
        return relayOutage.chat(from, to);
      }
      case 'im-relay-lose':
        if (!relayOutage) throw new Error('im-relay-cluster-start first');
        return relayOutage.loseRelay();
      case 'im-relay-restore':
        relayOutage?.restore();
        return true;
      default:
        await relayOutage?.close();
        relayOutage = null;
        return true;
    }
  };

  return {
    name: 'im-server',

    serverStart({ config }) {
      origin = `http://${config.hostname}:${config.port}`;
      env = {
        IM_JWT_SECRET: secret,
        IM_ADMIN_API_KEYS: adminKey,
        // No skew allowed: a token's expiry takes effect at once, so tests of it need not wait.
        IM_JWT_CLOCK_TOLERANCE: '0',
        IM_CORS_ORIGINS: origin,
        // Tests seed their histories by sending fast as one user; the per-user limit has tests of its own.
        IM_SEND_RATE_LIMIT: '1000/1000',
      };
    },

    async serverStop() {
      await relayOutage?.close();
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all([...servers.values()].map(async (server) => (await server).stop()));
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },

    async executeCommand({ command, payload, session }) {
      if (relayCommands.has(command)) return relayCommand(command, payload);
      if (!serverCommands.has(command) || !env) return undefined;
      let starting = servers.get(session.browser);
      if (!starting) {
        starting = newDataDir().then((dataDir) => ServerProcess.start({ dataDir, env: env! }));
        servers.set(session.browser, starting);
      }
      const server = await starting;
      switch (command) {
        case 'im-throttled-server-url': {
          // Every engine the same way: a slow uplink in front of the server, for this test's widget only.
          const { bytesPerSecond } = payload as { bytesPerSecond: number };
          const relay = await ThrottledRelay.start(server.port, bytesPerSecond);
          relays.push(relay);
          return relay.url;
        }
        case 'im-server-url':
          return server.url;
        case 'im-admin': {
          const { method, path, body } = payload as AdminRequest;
          const response = await fetch(new URL(`/api/admin/v1${path}`, server.url), {
            method,
            headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
            body: body ? JSON.stringify(body) : undefined,
          });
          return { status: response.status, body: await response.json() };
        }
        case 'im-token': {
          const { sub, name, expiresIn = 3600 } = payload as TokenRequest;
          const now = Math.floor(Date.now() / 1000);
          return new SignJWT({ name: name ?? sub })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject(sub)
            .setIssuedAt(now)
            .setExpirationTime(now + expiresIn)
            .sign(signingKey);
        }
        case 'im-server-stop':
          await server.stop();
          return true;
        case 'im-server-start': {
          const { fresh = false } = (payload ?? {}) as { fresh?: boolean };
          if (server.running && !fresh) return true;
          if (server.running) await server.stop();
          await server.start(fresh ? { dataDir: await newDataDir() } : {});
          return true;
        }
        default:
          return undefined;
      }
    },
  };
}
