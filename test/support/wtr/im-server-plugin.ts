/**
 * A @web/test-runner plugin that gives browser tests a real im-chat server: started in
 * `serverStart` from the real entry point on its own SQLite files, and controlled from
 * tests through server commands (see test/support/browser/im-server.ts). Each browser
 * engine gets a server of its own, so engines can run side by side while a test in one
 * stops and restarts its server.
 *
 * The runner gives a browser 20 s (fixed, not configurable) for the answer to a command,
 * while starting a server process (tsx compiling it cold) takes longer than that on busy
 * cores. So the servers start before the first test, and a command still at work after
 * `answerWithinMs` answers "pending": the browser then asks for its outcome with
 * `im-await` until it has it (see `serverCommand` in test/support/browser/im-server.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
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

/** Well within the runner's 20 s limit on an answer, whatever the load. */
const answerWithinMs = 5_000;

/** What a browser gets for a command: its outcome, or the id of the work still going on. */
export type CommandAnswer<T = unknown> = { done: true; value: T } | { done: false; error: string } | { pending: string };

/** `browsers`: the engines the run launches, each given its server before the first test. */
export function imServerPlugin({ browsers }: { browsers: readonly BrowserLauncher[] }): TestRunnerPlugin<unknown> {
  // Host backends share the secret as a string; tokens are signed with its UTF-8 bytes.
  const secret = randomBytes(32).toString('base64url');
  const signingKey = new TextEncoder().encode(secret);
  // The host backend's key to the admin API; tests reach it through a server command.
  const adminKey = randomBytes(32).toString('base64url');
  const dataDirs: string[] = [];
  // One per engine that runs, started one after another before the first test (see serverStart).
  const servers = new Map<BrowserLauncher, Promise<ServerProcess>>();
  let lastStart: Promise<unknown> = Promise.resolve();
  // Commands whose answer a browser is still waiting for, by id.
  const pending = new Map<string, Promise<CommandAnswer>>();
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

  /**
   * The engine's server, once it runs. Starts are not run side by side: on two busy cores
   * three cold starts at once take longer than the same three one after another.
   */
  const serverFor = (browser: BrowserLauncher): Promise<ServerProcess> => {
    let starting = servers.get(browser);
    if (!starting) {
      starting = lastStart
        .catch(() => undefined)
        .then(newDataDir)
        .then((dataDir) => ServerProcess.start({ dataDir, env: env! }));
      servers.set(browser, starting);
      lastStart = starting;
    }
    return starting;
  };

  /** The outcome of the work, if it comes within `answerWithinMs`; else an id to ask again with. */
  const answer = async (id: string, work: Promise<CommandAnswer>): Promise<CommandAnswer> => {
    let timer: NodeJS.Timeout | undefined;
    const later = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), answerWithinMs)));
    const outcome = await Promise.race([work, later]).finally(() => clearTimeout(timer));
    if (outcome) {
      pending.delete(id);
      return outcome;
    }
    pending.set(id, work);
    return { pending: id };
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

    async serverStart({ config }) {
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
      // Before the first test, so that no test's time goes to a cold start.
      await Promise.all(browsers.map(serverFor));
    },

    async serverStop() {
      await relayOutage?.close();
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all([...servers.values()].map(async (server) => (await server).stop()));
      await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },

    async executeCommand({ command, payload, session }) {
      if (command === 'im-await') {
        const { id } = payload as { id: string };
        const work = pending.get(id);
        return work ? answer(id, work) : { done: false, error: `no command is pending as ${id}` };
      }
      if (!env || (!relayCommands.has(command) && !serverCommands.has(command))) return undefined;
      const work = (
        relayCommands.has(command) ? relayCommand(command, payload) : serverCommand(command, payload, session.browser)
      ).then(
        (value): CommandAnswer => ({ done: true, value }),
        (error: unknown): CommandAnswer => ({ done: false, error: error instanceof Error ? error.message : String(error) }),
      );
      return answer(randomUUID(), work);
    },
  };

  async function serverCommand(command: string, payload: unknown, browser: BrowserLauncher): Promise<unknown> {
    const server = await serverFor(browser);
    // A test that gave up on a restart (its time ran out) leaves it going: wait for its end.
    await server.settled();
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
        throw new Error(`unknown command ${command}`);
    }
  }
}
