/** Helpers for tests of support mode against a real server: agents, visitors, questions. */
import type { Message, PageInfo, SupportContext, User } from '../../../src/protocol/index.js';
import {
  defaultSupportSettings,
  type SupportSettings,
} from '../../../src/server/support/support-settings.js';
import { connectClient, type TestClient } from './client.js';
import { sendText } from './groups.js';
import { TestServer, testUsers, type TestServerOptions } from './server.js';

export const agents = {
  sam: { id: 'sam', name: 'Sam', avatar: 'https://example.com/sam.png' },
  kim: { id: 'kim', name: 'Kim', avatar: null },
} satisfies Record<string, User>;

export type AgentId = keyof typeof agents;

/** A server whose support team is Sam and Kim (both known, neither connected yet). */
export function startSupportServer(
  options: TestServerOptions & { settings?: Partial<SupportSettings> } = {},
): Promise<TestServer> {
  const { settings, ...rest } = options;
  return TestServer.start({
    users: [...Object.values(testUsers), ...Object.values(agents)],
    support: { ...defaultSupportSettings, agentIds: ['sam', 'kim'], ...settings },
    ...rest,
  });
}

export function connectAgent(server: TestServer, id: AgentId): Promise<TestClient> {
  return server.connect({ sub: id, name: agents[id].name, avatar: agents[id].avatar });
}

export interface VisitorCredentials {
  visitorId: string;
  secret: string;
  number: number;
}

/** POSTs JSON to the server, as the widget does from the host's page. */
export async function postJson(
  server: TestServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(new URL(path, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export async function createVisitor(server: TestServer): Promise<VisitorCredentials> {
  const response = await postJson(server, '/api/support/visitors', {});
  if (response.status !== 201) throw new Error(`visitor creation answered ${response.status}`);
  return (await response.json()) as VisitorCredentials;
}

export async function visitorToken(server: TestServer, credentials: VisitorCredentials): Promise<string> {
  const { visitorId, secret } = credentials;
  const response = await postJson(server, '/api/support/visitors/token', { visitorId, secret });
  if (!response.ok) throw new Error(`visitor token answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** A visitor with a fresh identity, connected. */
export async function connectVisitor(
  server: TestServer,
  credentials?: VisitorCredentials,
): Promise<{ visitor: TestClient; credentials: VisitorCredentials }> {
  const identity = credentials ?? (await createVisitor(server));
  const visitor = await connectClient(server.url, await visitorToken(server, identity));
  return { visitor, credentials: identity };
}

export const shopPage = (path: string, title: string): PageInfo => ({
  url: `https://shop.example${path}`,
  title,
});

/** Starts (or returns to) the customer's support conversation and asks a question in it. */
export async function ask(
  customer: TestClient,
  question: string,
  where: { page?: PageInfo; context?: SupportContext } = {},
): Promise<{ conversationId: string; message: Message }> {
  const { conversation } = await customer.ok('support:start', where);
  const { message } = await sendText(customer, conversation.id, question);
  return { conversationId: conversation.id, message };
}

/** The support event of this kind in a conversation, as a client received it. */
export function supportEvent(client: TestClient, conversationId: string, kind: string) {
  return client.waitFor(
    'message:new',
    (message) =>
      message.conversationId === conversationId &&
      message.body.type === 'system' &&
      message.body.event.kind === kind,
  );
}
