/** Browser-side handles on the real test server (see test/support/wtr/im-server-plugin.ts). */
import { executeServerCommand } from '@web/test-runner-commands';

export function serverUrl(): Promise<string> {
  return executeServerCommand<string, undefined>('im-server-url');
}

export function tokenFor(sub: string, options: { name?: string; expiresIn?: number } = {}): Promise<string> {
  return executeServerCommand('im-token', { sub, ...options });
}

/** Calls the server's admin API as the host's backend does (from the test runner, with its key). */
export function adminApi<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  return executeServerCommand('im-admin', { method, path, body });
}

/** Stops the server gracefully; connected clients see it go away. */
export async function stopServer(): Promise<void> {
  await executeServerCommand('im-server-stop');
}

/** Makes sure it runs (on the same port as before); `fresh` restarts it on empty storage. */
export async function startServer(options: { fresh?: boolean } = {}): Promise<void> {
  await executeServerCommand('im-server-start', options);
}

/** The server behind a slow uplink (what is sent to it goes at `bytesPerSecond`), so that an upload can be watched. */
export function throttledServerUrl(bytesPerSecond: number): Promise<string> {
  return executeServerCommand('im-throttled-server-url', { bytesPerSecond });
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
