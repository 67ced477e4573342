/** Browser-side handles on the real test server (see test/support/wtr/im-server-plugin.ts). */
import { executeServerCommand } from '@web/test-runner-commands';
import type { CommandAnswer } from '../wtr/im-server-plugin.js';

/** The test running now (a root hook of every file that uses the server keeps it). */
let currentTest: Mocha.Test | undefined;
beforeEach(function () {
  currentTest = this.currentTest;
});

/**
 * Runs one of the test server's commands to its end. The runner fails a command not
 * answered within 20 s, however long its work rightly takes (a server's cold start on busy
 * cores), so the plugin answers "pending" and is asked again until the work is done.
 * Such slow work is the test machine's, not what the test measures: the test's time
 * limit starts again after it.
 */
export async function serverCommand<T>(command: string, payload?: unknown): Promise<T> {
  let answer = await executeServerCommand<CommandAnswer<T>, unknown>(command, payload);
  while ('pending' in answer) {
    restartTestTime();
    answer = await executeServerCommand<CommandAnswer<T>, unknown>('im-await', { id: answer.pending });
    if (!('pending' in answer)) restartTestTime();
  }
  if (!answer.done) throw new Error(`${command} failed: ${answer.error}`);
  return answer.value;
}

function restartTestTime(): void {
  // Only while the test runs: re-arming one that has ended would fail it afterwards.
  if (currentTest && currentTest.state === undefined) currentTest.timeout(currentTest.timeout());
}

export function serverUrl(): Promise<string> {
  return serverCommand('im-server-url');
}

export function tokenFor(sub: string, options: { name?: string; expiresIn?: number } = {}): Promise<string> {
  return serverCommand('im-token', { sub, ...options });
}

/** Calls the server's admin API as the host's backend does (from the test runner, with its key). */
export function adminApi<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return serverCommand('im-admin', { method, path, body });
}

/** Stops the server gracefully; connected clients see it go away. */
export async function stopServer(): Promise<void> {
  await serverCommand('im-server-stop');
}

/** Makes sure it runs (on the same port as before); `fresh` restarts it on empty storage. */
export async function startServer(options: { fresh?: boolean } = {}): Promise<void> {
  await serverCommand('im-server-start', options);
}

/** The server behind a slow uplink (what is sent to it goes at `bytesPerSecond`), so that an upload can be watched. */
export function throttledServerUrl(bytesPerSecond: number): Promise<string> {
  return serverCommand('im-throttled-server-url', { bytesPerSecond });
}

/** A user id no other test uses, so tests sharing one server do not see each other. */
export function uniqueUser(name: string): string {
  return `${name.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Polls until `check` returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
