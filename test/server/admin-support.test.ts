import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/node/admin.js';
import { sendText } from '../support/node/groups.js';
import type { TestServer } from '../support/node/server.js';
import { connectAgent, startSupportServer } from '../support/node/support.js';
import { WebhookReceiver } from '../support/node/webhook-receiver.js';

const apiKey = 'k'.repeat(40);

describe('admin API and webhooks with support mode', () => {
  let server: TestServer;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await server.close();
    await receiver?.close();
  });

  it('gives and takes the agent role through a user\'s roles', async () => {
    server = await startSupportServer({ admin: { apiKeys: [apiKey] } });
    const admin = new AdminClient(server.url, { apiKey });
    expect((await admin.get('/users/sam')).body.roles).toEqual(['agent']);

    const given = await admin.put('/users/dave', { name: 'Dave', roles: ['agent', 'billing'] });
    expect(given.body.roles).toEqual(['agent', 'billing']);
    const dave = await server.connect('dave');
    expect((await dave.command('support:agents', {})).ok).toBe(true);

    const taken = await admin.put('/users/dave', { name: 'Dave', roles: ['billing'] });
    expect(taken.body.roles).toEqual(['billing']);
    expect(await dave.command('support:agents', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('tells the host when a support conversation is created, assigned and resolved', async () => {
    receiver = await WebhookReceiver.start();
    server = await startSupportServer({ admin: { apiKeys: [apiKey] }, webhookDelivery: { retryBaseMs: 20 } });
    const admin = new AdminClient(server.url, { apiKey });
    await admin.post('/webhooks', {
      url: receiver.url,
      events: ['support.conversation_created', 'support.conversation_assigned', 'support.conversation_resolved'],
    });
    const sam = await connectAgent(server, 'sam');
    const alice = await server.connect('alice');
    const started = await alice.ok('support:start', {});
    const conversationId = started.conversation.id;
    await sendText(alice, conversationId, 'Where is my order?');
    await receiver.until((r) => r.accepted.length === 2, 'created and assigned');
    await sam.ok('support:resolve', { conversationId });
    await receiver.until((r) => r.accepted.length === 3, 'resolved');

    expect(receiver.accepted.map((event) => event.type)).toEqual([
      'support.conversation_created',
      'support.conversation_assigned',
      'support.conversation_resolved',
    ]);
    expect(receiver.accepted[0]!.data).toMatchObject({ conversationId, customerId: 'alice', status: 'open' });
    expect(receiver.accepted[1]!.data).toMatchObject({ conversationId, agentId: 'sam' });
    expect(receiver.accepted[2]!.data).toMatchObject({ conversationId, status: 'resolved', by: 'sam' });
  });
});
