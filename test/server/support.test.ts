import { afterEach, describe, expect, it } from 'vitest';
import type { SupportConversation } from '../../src/protocol/index.js';
import { BusinessHours } from '../../src/server/support/business-hours.js';
import { sendText } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';
import {
  ask,
  connectAgent,
  connectVisitor,
  createVisitor,
  postJson,
  shopPage,
  startSupportServer,
  supportEvent,
  visitorToken,
} from '../support/node/support.js';

const lamp = shopPage('/products/aurora-lamp', 'Aurora desk lamp');
const lampContext = { productId: 'aurora-lamp', name: 'Aurora desk lamp', price: 89, currency: 'EUR' };

describe('support: visitors and agents', () => {
  let server: TestServer;
  afterEach(() => server.close());

  it('gives an anonymous visitor an identity that brings back the same conversation', async () => {
    server = await startSupportServer({ settings: { name: 'Shop support' } });
    const { visitor, credentials } = await connectVisitor(server);
    expect(credentials.visitorId).toMatch(/^v_[A-Za-z0-9_-]{22}$/);
    expect(visitor.session.user).toEqual({
      id: credentials.visitorId,
      name: `Visitor #${credentials.number}`,
      avatar: null,
    });
    const { conversationId } = await ask(visitor, 'Is the lamp dimmable?', { page: lamp, context: lampContext });
    const { conversation } = await visitor.ok('support:start', {});
    expect(conversation).toMatchObject({ id: conversationId, type: 'support', name: 'Shop support', role: 'customer', case: null });
    visitor.close();

    const { visitor: again } = await connectVisitor(server, credentials);
    expect((await again.ok('support:start', {})).conversation.id).toBe(conversationId);
    const history = await again.ok('message:history', { conversationId });
    expect(history.messages.map((m) => m.body.type === 'text' && m.body.text)).toContain('Is the lamp dimmable?');

    const wrong = await postJson(server, '/api/support/visitors/token', { visitorId: credentials.visitorId, secret: 'guess' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const second = await createVisitor(server);
    expect(second.number).toBe(credentials.number + 1);
    expect(second.visitorId).not.toBe(credentials.visitorId);
  });

  it('routes each new question to the online agent with the fewest open cases', async () => {
    server = await startSupportServer();
    const sam = await connectAgent(server, 'sam');
    const kim = await connectAgent(server, 'kim');
    const assignees: string[] = [];
    for (const question of ['first', 'second', 'third']) {
      const { visitor } = await connectVisitor(server);
      const { conversationId } = await ask(visitor, question);
      const joined = await supportEvent(visitor, conversationId, 'support.agent-joined');
      const { body } = joined;
      if (body.type !== 'system' || body.event.kind !== 'support.agent-joined') throw new Error('not a join');
      // The visitor learns who answers, with their profile, and nothing else of the team.
      expect(body.event.agent.id).toBe(joined.senderId);
      assignees.push(joined.senderId);
      const agent = joined.senderId === 'sam' ? sam : kim;
      await agent.waitFor('support:changed', (event) => event.conversationId === conversationId && event.assigneeId === agent.session.user.id);
    }
    // Kim and Sam start even (Kim first by id), then the one with fewer open cases, then
    // whoever waited longer since their last case.
    expect(assignees).toEqual(['kim', 'sam', 'kim']);
  });

  it('keeps a question for later when nobody is online, and says when to expect an answer', async () => {
    const now = new Date();
    const tomorrow = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(now.getUTCDay() + 1) % 7]!;
    const hours = BusinessHours.parse(`${tomorrow} 09:00-10:00`, 'UTC');
    server = await startSupportServer({ settings: { hours, timeZone: 'UTC', awayMessage: 'We are out hiking.' } });
    const { visitor } = await connectVisitor(server);
    const config = await visitor.ok('support:config', {});
    expect(config.availability).toMatchObject({ agentsOnline: false, withinHours: false, timeZone: 'UTC' });
    const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9));
    expect(config.availability.nextOpenAt).toBe(opening.getTime());

    const { conversationId } = await ask(visitor, 'Do you ship to Norway?');
    const away = await supportEvent(visitor, conversationId, 'support.away');
    expect(away.body).toEqual({
      type: 'system',
      event: { kind: 'support.away', nextOpenAt: opening.getTime(), message: 'We are out hiking.' },
    });
    await sendText(visitor, conversationId, 'And how long does it take?');
    const history = await visitor.ok('message:history', { conversationId });
    // Told once per wait, not after every message.
    expect(history.messages.filter((m) => m.body.type === 'system').length).toBe(1);

    const kim = await connectAgent(server, 'kim');
    const availability = await visitor.waitFor('support:availability', (event) => event.agentsOnline);
    expect(availability.agentsOnline).toBe(true);
    const { conversations } = await kim.ok('conversation:sync', { cursor: null });
    const waiting = conversations.find((c) => c.id === conversationId) as SupportConversation;
    expect(waiting).toMatchObject({ type: 'support', role: 'agent', assigneeId: null, unreadCount: 2 });
    expect(waiting.case).toMatchObject({ status: 'open', customerId: visitor.session.user.id });

    await kim.ok('support:assign', { conversationId, agentId: 'kim' });
    const joined = await supportEvent(visitor, conversationId, 'support.agent-joined');
    expect(joined.senderId).toBe('kim');
    await sendText(kim, conversationId, 'Yes, in 3-5 days.');
    await visitor.waitFor('message:new', (m) => m.senderId === 'kim' && m.body.type === 'text');
  });

  it('shows the page and the host’s context to agents only, and follows the visitor around', async () => {
    server = await startSupportServer();
    const sam = await connectAgent(server, 'sam');
    const { visitor } = await connectVisitor(server);
    const { conversationId } = await ask(visitor, 'Which bulb does it take?', { page: lamp, context: lampContext });
    await sam.waitFor('support:changed', (event) => event.conversationId === conversationId && event.assigneeId === 'sam');

    const chair = shopPage('/products/fjord-chair', 'Fjord lounge chair');
    await visitor.ok('support:context', { conversationId, page: chair, context: { productId: 'fjord-chair', price: 349 } });
    const moved = await sam.waitFor('support:changed', (event) => event.case.page?.url === chair.url);
    expect(moved.case).toMatchObject({ page: chair, context: { productId: 'fjord-chair', price: 349 }, status: 'open' });
    expect(moved.customer.id).toBe(visitor.session.user.id);

    const details = await sam.ok('support:details', { conversationId });
    expect(details.pages.map((page) => page.title)).toEqual(['Fjord lounge chair', 'Aurora desk lamp']);
    expect(details.pages[1]!.context).toEqual(lampContext);
    expect(details.activity).toEqual([expect.objectContaining({ kind: 'assigned', by: null, agentId: 'sam' })]);

    // The visitor's own view carries no case, and its sync names only who answers.
    const sync = await visitor.ok('conversation:sync', { cursor: null });
    expect(sync.conversations).toEqual([expect.objectContaining({ id: conversationId, case: null, assigneeId: 'sam' })]);
    expect(sync.users.map((user) => user.id)).toEqual(['sam']);
    expect(await visitor.command('support:details', { conversationId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const { presence } = await visitor.ok('presence:watch', { userIds: ['sam', 'kim'] });
    expect(presence.map((entry) => entry.userId)).toEqual(['sam']);
  });

  it('lets agents take, transfer, resolve and reopen; the customer writing again reopens it', async () => {
    server = await startSupportServer();
    const sam = await connectAgent(server, 'sam');
    const { visitor } = await connectVisitor(server);
    const { conversationId } = await ask(visitor, 'Hello?');
    await supportEvent(visitor, conversationId, 'support.agent-joined');

    const kim = await connectAgent(server, 'kim');
    const transferred = await sam.ok('support:assign', { conversationId, agentId: 'kim' });
    expect(transferred.conversation.assigneeId).toBe('kim');
    await visitor.waitFor('message:new', (m) => m.body.type === 'system' && m.senderId === 'kim');
    const resolved = await kim.ok('support:resolve', { conversationId });
    expect(resolved.conversation.case?.status).toBe('resolved');
    await sam.waitFor('support:changed', (event) => event.case.status === 'resolved');

    await sendText(visitor, conversationId, 'One more thing');
    const reopened = await kim.waitFor('support:changed', (event) => event.case.status === 'open' && event.case.resolvedAt === null);
    // Kim still answers: the case came back to the agent who had it.
    expect(reopened.assigneeId).toBe('kim');
    await kim.ok('support:resolve', { conversationId });
    await sam.ok('support:reopen', { conversationId });
    const { activity } = await sam.ok('support:details', { conversationId });
    expect(activity.map(({ kind, by, agentId }) => [kind, by, agentId])).toEqual([
      ['reopened', 'sam', null],
      ['resolved', 'kim', null],
      ['reopened', null, null],
      ['resolved', 'kim', null],
      ['assigned', 'sam', 'kim'],
      ['assigned', null, 'sam'],
    ]);
    const { agents } = await kim.ok('support:agents', {});
    expect(agents.map((agent) => [agent.user.id, agent.online, agent.openCount])).toEqual([
      ['kim', true, 1],
      ['sam', true, 0],
    ]);
  });

  it('lets a visitor talk to support and do nothing else', async () => {
    server = await startSupportServer();
    const { visitor } = await connectVisitor(server);
    const code = async (name: string, payload: object) => {
      const ack = await visitor.raw(name, payload);
      return ack.ok ? 'ok' : ack.error.code;
    };
    expect(await code('user:search', { query: '' })).toBe('forbidden');
    expect(await code('conversation:start', { userId: 'alice' })).toBe('forbidden');
    expect(await code('group:create', { name: 'Mine', memberIds: [] })).toBe('forbidden');
    expect(await code('invite:preview', { code: 'c'.repeat(32) })).toBe('forbidden');
    expect(await code('support:claim', { visitorId: 'v_x', secret: 'x' })).toBe('forbidden');
    expect(await code('support:agents', {})).toBe('forbidden');

    const alice = await server.connect('alice');
    const bob = await server.connect('bob');
    const { conversation: chat } = await alice.ok('conversation:start', { userId: 'bob' });
    expect(await code('message:history', { conversationId: chat.id })).toBe('not_found');
    const { conversationId } = await ask(visitor, 'Hi');
    // Neither another customer nor someone outside the team sees into the case.
    expect(await alice.command('support:context', { conversationId, page: lamp })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await bob.command('support:assign', { conversationId, agentId: 'bob' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await bob.command('message:history', { conversationId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const sam = await connectAgent(server, 'sam');
    expect(await sam.command('support:start', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sam.command('support:assign', { conversationId, agentId: 'alice' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('asks for the pre-chat fields the team requires, and names the visitor after the form', async () => {
    server = await startSupportServer({ settings: { prechat: { name: 'required', email: 'optional' } } });
    const sam = await connectAgent(server, 'sam');
    const { visitor } = await connectVisitor(server);
    expect((await visitor.ok('support:config', {})).prechat).toEqual({ name: 'required', email: 'optional' });
    expect(await visitor.command('support:start', {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [{ path: 'prechat.name', message: 'is required' }] },
    });
    expect(await visitor.command('support:start', { prechat: { name: 'Jane', email: 'not-an-email' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload', issues: [expect.objectContaining({ path: 'prechat.email' })] },
    });
    const { users } = await visitor.ok('support:start', { prechat: { name: ' Jane ', email: 'jane@example.com' } });
    expect(users[0]).toMatchObject({ id: visitor.session.user.id, name: 'Jane' });
    const { conversationId } = await ask(visitor, 'Hello from Jane');
    const assigned = await sam.waitFor('support:changed', (event) => event.conversationId === conversationId);
    expect(assigned.customer.name).toBe('Jane');
    expect(assigned.case).toMatchObject({ email: 'jane@example.com', visitorNumber: expect.any(Number) });
  });

  it('hands a visitor’s conversation to the user who signs in, on all their tabs', async () => {
    server = await startSupportServer();
    const sam = await connectAgent(server, 'sam');
    const { visitor, credentials } = await connectVisitor(server);
    const { conversationId } = await ask(visitor, 'Where is my order?');
    await supportEvent(visitor, conversationId, 'support.agent-joined');
    visitor.close();
    await sendText(sam, conversationId, 'Could you sign in, please?');

    const carol = await server.connect('carol');
    const carolPhone = await server.connect('carol');
    const claimed = await carol.ok('support:claim', { visitorId: credentials.visitorId, secret: credentials.secret });
    expect(claimed.conversations).toEqual([
      expect.objectContaining({ id: conversationId, role: 'customer', case: null, assigneeId: 'sam', unreadCount: 1 }),
    ]);
    for (const tab of [carol, carolPhone]) {
      const identified = await supportEvent(tab, conversationId, 'support.identified');
      expect(identified.senderId).toBe('carol');
    }
    const changed = await sam.waitFor('support:changed', (event) => event.case.customerId === 'carol');
    expect(changed.case.visitorNumber).toBeNull();
    expect(changed.customer.name).toBe('Carol');
    await sendText(carol, conversationId, 'Signed in now');
    await sam.waitFor('message:new', (m) => m.senderId === 'carol');

    // The visitor identity is spent, and claiming it again changes nothing.
    const { visitorId, secret } = credentials;
    const refused = await postJson(server, '/api/support/visitors/token', { visitorId, secret });
    expect(refused.status).toBe(410);
    expect(await refused.json()).toMatchObject({ error: { code: 'visitor_claimed' } });
    expect((await carol.ok('support:claim', { visitorId, secret })).conversations).toEqual([]);
    const dave = await server.connect('dave');
    expect(await dave.command('support:claim', { visitorId, secret })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dave.command('support:claim', { visitorId, secret: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('turns away visitors from origins the server does not allow, and scripts making many', async () => {
    server = await startSupportServer({ visitorRateLimit: { capacity: 2, refillPerSecond: 0.001 } });
    const foreign = await postJson(server, '/api/support/visitors', {}, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
    const first = await createVisitor(server);
    await createVisitor(server);
    const third = await postJson(server, '/api/support/visitors', {});
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
    const bad = await postJson(server, '/api/support/visitors/token', { visitorId: 'v_1' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_payload' } });
    // The limit is on new identities: the visitors there are still get their tokens.
    expect(await visitorToken(server, first)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
