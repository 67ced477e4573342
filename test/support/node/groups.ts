/** Helpers for tests of groups against a real server. */
import type {
  Message,
  TextBody,
  SystemEvent,
  User,
} from '../../../src/protocol/index.js';
import type { TestClient } from './client.js';
import { TestServer, testUsers, type TestServerOptions } from './server.js';

/** People besides the test users, for groups that need more of them. */
export const moreUsers = {
  erin: { id: 'erin', name: 'Erin', avatar: null },
  frank: { id: 'frank', name: 'Frank', avatar: null },
} satisfies Record<string, User>;

export type GroupTestUserId = keyof typeof testUsers | keyof typeof moreUsers;

/** A test server that knows the test users and `moreUsers`. */
export function startGroupServer(options: TestServerOptions = {}): Promise<TestServer> {
  return TestServer.start({ users: [...Object.values(testUsers), ...Object.values(moreUsers)], ...options });
}

export function connectUser(server: TestServer, id: GroupTestUserId): Promise<TestClient> {
  if (id === 'erin' || id === 'frank') return server.connect({ sub: id, name: moreUsers[id].name });
  return server.connect(id);
}

let clientIds = 0;

export const text = (value: string, extra: Partial<TextBody> = {}): TextBody => ({
  type: 'text',
  text: value,
  ...extra,
});

export function sendText(from: TestClient, conversationId: string, value: string, extra: Partial<TextBody> = {}) {
  return from.ok('message:send', {
    conversationId,
    clientId: `group-test-${++clientIds}`,
    body: text(value, extra),
  });
}

/** Sends and returns the ack, whatever it says. */
export function trySend(from: TestClient, conversationId: string, value: string, extra: Partial<TextBody> = {}) {
  return from.command('message:send', {
    conversationId,
    clientId: `group-test-${++clientIds}`,
    body: text(value, extra),
  });
}

/** Creates "Team": the caller owns it, `admins` are promoted, every id is a member. */
export async function createTeam(
  owner: TestClient,
  memberIds: string[] = ['bob', 'carol'],
  admins: string[] = ['bob'],
): Promise<string> {
  const { conversation } = await owner.ok('group:create', { name: 'Team', memberIds });
  for (const userId of admins) {
    await owner.ok('group:set-role', { conversationId: conversation.id, userId, role: 'admin' });
  }
  return conversation.id;
}

export function systemEvent(message: Message): SystemEvent | null {
  return message.body.type === 'system' ? message.body.event : null;
}

export function isEvent(kind: SystemEvent['kind']) {
  return (message: Message) => systemEvent(message)?.kind === kind;
}
