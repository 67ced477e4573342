/** Creating real ChatClients for browser tests, and reading what they cached. */
import { ChatClient, type ChatClientOptions, type TimelineEntry } from '../../../src/client/index.js';
import { serverUrl, tokenFor, waitFor } from './im-server.js';

const started: ChatClient[] = [];

/** A started client signed in as `sub`; stopped by `stopAllClients`. */
export async function signIn(sub: string, options: Partial<ChatClientOptions> = {}): Promise<ChatClient> {
  const client = new ChatClient({ server: await serverUrl(), token: await tokenFor(sub), ...options });
  started.push(client);
  await client.start();
  return client;
}

export function track(client: ChatClient): ChatClient {
  started.push(client);
  return client;
}

export function stopAllClients(): void {
  for (const client of started.splice(0)) client.stop();
}

export function online(client: ChatClient, what = 'the client to be online'): Promise<boolean> {
  return waitFor(() => client.status === 'online', what, 15_000);
}

export async function timeline(client: ChatClient, conversationId: string): Promise<TimelineEntry[]> {
  return (await client.cache?.timeline(conversationId, 1)) ?? [];
}

/** A conversation's timeline with statuses, e.g. `['hi:sent', 'yo:pending', '[member.left]:sent']`. */
export async function texts(client: ChatClient, conversationId: string): Promise<string[]> {
  return (await timeline(client, conversationId)).map(
    (entry) => `${entry.body.type === 'text' ? entry.body.text : `[${entry.body.event.kind}]`}:${entry.status}`,
  );
}
