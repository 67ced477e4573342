/** ChatClients wired to a FakeServer and a ManualClock, and ways to wait on what they cache. */
import { liveQuery } from 'dexie';
import { ChatClient, type ChatClientOptions, type ClientStatus, type TimelineEntry } from '../../../../src/client/index.js';
import type { FakeServer } from './fake-server.js';
import type { ManualClock } from './manual-clock.js';

const started: ChatClient[] = [];

/** A started client of `server`, signed in as `userId`; stopped by `stopAllClients`. */
export async function startClient(
  server: FakeServer,
  clock: ManualClock,
  userId: string,
  options: Partial<ChatClientOptions> = {},
): Promise<ChatClient> {
  const client = new ChatClient({
    server: server.url,
    token: unsignedToken(userId),
    createSocket: server.createSocket,
    clock,
    ...options,
  });
  started.push(client);
  await client.start();
  return client;
}

export function stopAllClients(): void {
  for (const client of started.splice(0)) client.stop();
}

/** Resolves when the client's status is `status` (at once if it is). */
export function statusBecomes(client: ChatClient, status: ClientStatus): Promise<void> {
  return new Promise((resolve) => {
    if (client.status === status) return resolve();
    const stop = client.on('status', (now) => {
      if (now !== status) return;
      stop();
      resolve();
    });
  });
}

/**
 * Resolves with the first result of `query` that `done` accepts, re-reading whenever the
 * cache changes. Gives up after a few seconds of real time, saying what it last read
 * (nothing here waits for time to pass: that is only for a test that went wrong).
 */
export function until<T>(query: () => Promise<T>, done: (value: T) => boolean, what = 'the cache'): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    const giveUp = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`Still waiting for ${what}; last read: ${JSON.stringify(last)}`));
    }, 5_000);
    const subscription = liveQuery(query).subscribe({
      next: (value) => {
        last = value;
        if (!done(value)) return;
        clearTimeout(giveUp);
        queueMicrotask(() => subscription.unsubscribe());
        resolve(value);
      },
      error: reject,
    });
  });
}

export async function timeline(client: ChatClient, conversationId: string): Promise<TimelineEntry[]> {
  return (await client.cache?.timeline(conversationId, 1)) ?? [];
}

/** A conversation's timeline as `text:status`, e.g. `['hi:sent', 'yo:pending']`. */
export async function texts(client: ChatClient, conversationId: string): Promise<string[]> {
  return (await timeline(client, conversationId)).map(
    (entry) => `${entry.body.type === 'text' ? entry.body.text : `[${entry.body.type}]`}:${entry.status}`,
  );
}

/** Waits until the conversation's timeline reads `expected` (see `texts`). */
export function timelineReads(client: ChatClient, conversationId: string, expected: string[]): Promise<string[]> {
  return until(
    () => texts(client, conversationId),
    (actual) => actual.join('\n') === expected.join('\n'),
    `the timeline to read ${JSON.stringify(expected)}`,
  );
}

/** The client reads only `sub` from its token; the server here does not verify it. */
function unsignedToken(sub: string): string {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub })}.`;
}
