/** Creating real ChatClients for browser tests, and reading what they cached. */
import { ChatClient, type ChatClientOptions, type TimelineEntry } from '../../../src/client/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from './im-server.js';

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

/** New users (unique ids from the names), each signed in with a started, online client. */
export async function people(...names: string[]): Promise<Array<{ id: string; client: ChatClient }>> {
  return Promise.all(
    names.map(async (name) => {
      const id = uniqueUser(name);
      const client = await signIn(id, {});
      await online(client);
      return { id, client };
    }),
  );
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
    (entry) => `${describe(entry.body)}:${entry.status}`,
  );
}

function describe(body: TimelineEntry['body']): string {
  switch (body.type) {
    case 'text':
      return body.text;
    case 'system':
      return `[${body.event.kind}]`;
    case 'image':
    case 'file':
      return `[${body.type} ${body.file.name}]`;
    default:
      return `[${body.type}]`;
  }
}
