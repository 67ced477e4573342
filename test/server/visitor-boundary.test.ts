import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminClient, testApiKey } from '../support/node/admin.js';
import type { TestClient } from '../support/node/client.js';
import { ask, connectAgent, connectVisitor, startSupportServer } from '../support/node/support.js';
import type { TestServer } from '../support/node/server.js';

/** Anonymous visitors exist for support: only agents reach them, only in their own case. */
describe('anonymous visitors', () => {
  let server: TestServer;
  let visitor: TestClient;
  let visitorId: string;
  let admin: AdminClient;
  beforeEach(async () => {
    server = await startSupportServer({ admin: { apiKeys: [testApiKey] } });
    admin = new AdminClient(server.url, { apiKey: testApiKey });
    const connected = await connectVisitor(server);
    visitor = connected.visitor;
    visitorId = connected.credentials.visitorId;
    await visitor.ok('support:start', { prechat: { name: 'Jane Visitor' } });
  });
  afterEach(() => server.close());

  const notFound = { ok: false, error: { code: 'not_found' } };

  it('are not listed by user search, whoever searches', async () => {
    const alice = await server.connect('alice');
    const sam = await connectAgent(server, 'sam');
    for (const client of [alice, sam]) {
      for (const query of ['Jane', 'visitor', visitorId, 'v_']) {
        const { users } = await client.ok('user:search', { query });
        expect(users.map((user) => user.id), query).not.toContain(visitorId);
      }
    }
    expect((await alice.ok('user:search', { query: 'bo' })).users.map((user) => user.id)).toEqual(['bob']);
  });

  it('cannot be put in a single chat or a group, through sockets or the admin API', async () => {
    const alice = await server.connect('alice');
    expect(await alice.command('conversation:start', { userId: visitorId })).toMatchObject(notFound);
    expect(await alice.command('group:create', { name: 'Lure', memberIds: ['bob', visitorId] })).toMatchObject(notFound);
    const { conversation: group } = await alice.ok('group:create', { name: 'Team', memberIds: ['bob'] });
    expect(await alice.command('group:add-members', { conversationId: group.id, userIds: [visitorId] })).toMatchObject(
      notFound,
    );
    // An agent is no exception: they meet visitors in the visitor's case only.
    const sam = await connectAgent(server, 'sam');
    expect(await sam.command('conversation:start', { userId: visitorId })).toMatchObject(notFound);

    const single = await admin.post('/single-conversations', { userIds: ['alice', visitorId] });
    expect(single.status).toBe(404);
    expect(single.body.error.code).toBe('not_found');
    const created = await admin.post('/groups', { ownerId: 'alice', name: 'Lure', memberIds: [visitorId] });
    expect(created.status).toBe(404);
    const added = await admin.post(`/groups/${group.id}/members`, { userIds: [visitorId] });
    expect(added.status).toBe(404);
    expect((await admin.get(`/groups/${group.id}`)).body.group.memberCount).toBe(2);

    // Nothing reached the visitor but their own case.
    const { conversations } = await visitor.ok('conversation:sync', { cursor: null });
    expect(conversations.map((conversation) => conversation.type)).toEqual(['support']);
  });

  it('still talk with the agents in their own case', async () => {
    const sam = await connectAgent(server, 'sam');
    const { conversationId } = await ask(visitor, 'is this in stock?');
    const asked = await sam.waitFor('message:new', (message) => message.conversationId === conversationId);
    expect(asked.body).toMatchObject({ type: 'text', text: 'is this in stock?' });
  });
});
