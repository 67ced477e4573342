import { afterEach, describe, expect, it } from 'vitest';
import type { CommandName } from '../../src/protocol/index.js';
import type { TestClient } from '../support/node/client.js';
import { TestServer } from '../support/node/server.js';

const text = (value: string) => ({ type: 'text' as const, text: value });

/** Payloads every command must refuse; `valid` is a correct payload for the command. */
function badPayloads(valid: Record<string, unknown>): unknown[] {
  // A command without fields (push:config) can only get the wrong kind of value, or extras.
  if (Object.keys(valid).length === 0) return [undefined, null, 'a string', 42, true, [], { extra: 1 }];
  return [
    undefined,
    null,
    'a string',
    42,
    true,
    [],
    [valid],
    {},
    { ...valid, extra: 1 },
    // As JSON.parse builds it on the server: an own "__proto__" key.
    JSON.parse(JSON.stringify({ ...valid }).replace(/^\{/, '{"__proto__":{"polluted":true},')),
    { ...valid, constructor: { prototype: { polluted: true } } },
    Object.fromEntries(Object.keys(valid).map((key) => [key, 'x'.repeat(60_000)])),
    Object.fromEntries(Object.keys(valid).map((key) => [key, { nested: [1, 2, 3] }])),
  ];
}

describe('hostile and broken input', () => {
  let server: TestServer;
  afterEach(() => server.close());

  async function chatWithOneMessage() {
    // These tests send bursts on purpose; the rate limit has its own test.
    server = await TestServer.start({ rateLimit: { capacity: 1000, refillPerSecond: 1000 } });
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    const first = await alice.ok('message:send', {
      conversationId: conversation.id,
      clientId: 'the-only-message',
      body: text('hello'),
    });
    return { alice, conversationId: conversation.id, first: first.message };
  }

  async function expectUnchanged(alice: TestClient, conversationId: string) {
    const history = await alice.ok('message:history', { conversationId });
    expect(history.messages.map((m) => m.clientId)).toEqual(['the-only-message']);
    expect(await server.storage.conversations.read.idsOf('alice')).toEqual([conversationId]);
    expect(await server.storage.conversations.read.view(conversationId, 'bob')).toMatchObject({
      readSeq: 0,
    });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(alice.socket.connected).toBe(true);
  }

  it('answers invalid_payload to every command given a bad payload, and changes nothing', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const valid: Record<CommandName, Record<string, unknown>> = {
      'message:send': { conversationId, clientId: 'never-stored-1', body: text('no') },
      'message:history': { conversationId },
      'conversation:sync': { cursor: null },
      'conversation:start': { userId: 'carol' },
      'conversation:read': { conversationId, seq: 1 },
      'user:search': { query: 'b' },
      'auth:refresh': { token: 'x' },
      'group:create': { name: 'Team', memberIds: ['bob'] },
      'group:update': { conversationId, name: 'New name' },
      'group:add-members': { conversationId, userIds: ['carol'] },
      'group:remove-member': { conversationId, userId: 'bob' },
      'group:ban-member': { conversationId, userId: 'bob' },
      'group:unban-member': { conversationId, userId: 'bob' },
      'group:bans': { conversationId },
      'user:block': { userId: 'bob' },
      'user:unblock': { userId: 'bob' },
      'user:blocks': {},
      'group:set-role': { conversationId, userId: 'bob', role: 'admin' },
      'group:transfer-ownership': { conversationId, userId: 'bob' },
      'group:mute-member': { conversationId, userId: 'bob', muted: true },
      'group:mute-all': { conversationId, muted: true },
      'group:set-join-policy': { conversationId, joinPolicy: 'open' },
      'group:leave': { conversationId },
      'group:dismiss': { conversationId },
      'group:members': { conversationId },
      'group:join-requests': { conversationId },
      'group:decide-request': { conversationId, userId: 'bob', approve: true },
      'group:confirm-announcement': { conversationId, announcementSeq: 1 },
      'group:announcement-confirmations': { conversationId },
      'invite:create': { conversationId },
      'invite:list': { conversationId },
      'invite:revoke': { conversationId, code: 'some-code' },
      'invite:preview': { code: 'some-code' },
      'invite:join': { code: 'some-code' },
      'message:recall': { conversationId, clientId: 'never-stored-2', seq: 1 },
      'message:edit': { conversationId, clientId: 'never-stored-3', seq: 1, text: text('edited') },
      'message:react': { conversationId, seq: 1, emoji: '👍', on: true },
      'message:readers': { conversationId, seq: 1 },
      'message:played': { conversationId, seq: 1 },
      'message:players': { conversationId, seq: 1 },
      'message:search': { query: 'hello' },
      'conversation:delivered': { conversationId, seq: 1 },
      'conversation:receipts': { conversationId },
      'conversation:settings': { conversationId, pinned: true },
      'typing:start': { conversationId },
      'typing:stop': { conversationId },
      'presence:watch': { userIds: ['bob'] },
      'file:access': { conversationId },
      'push:config': {},
      'push:subscribe': {
        endpoint: 'https://push.example/abc',
        keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) },
      },
      'push:unsubscribe': { endpoint: 'https://push.example/abc' },
      'support:config': {},
      // Every field is optional: like push:config, only the wrong kind of value is bad.
      'support:start': {},
      'support:context': { conversationId, page: { url: 'https://shop.example/', title: 'Shop' } },
      'support:claim': { visitorId: 'v_1', secret: 'secret' },
      'support:assign': { conversationId, agentId: 'bob' },
      'support:resolve': { conversationId },
      'support:reopen': { conversationId },
      'support:details': { conversationId },
      'support:agents': {},
    };
    for (const [name, payload] of Object.entries(valid)) {
      for (const bad of badPayloads(payload)) {
        const ack = await alice.raw(name, bad);
        expect(ack, `${name} with ${JSON.stringify(bad)?.slice(0, 80)}`).toMatchObject({
          ok: false,
          error: { code: 'invalid_payload', message: expect.any(String), issues: expect.any(Array) },
        });
      }
      // Without any payload, only the ack.
      expect(await alice.raw(name)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    }
    await expectUnchanged(alice, conversationId);
  });

  it('says which fields are wrong', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const message = (clientId: string, body: unknown) => ({ conversationId, clientId, body });
    const cases: [string, unknown, string[]][] = [
      ['message:send', message('short', text('')), ['clientId', 'body.text']],
      ['message:send', message('long-enough-1', text('x'.repeat(4001))), ['body.text']],
      ['message:send', message('long-enough-2', text('bell \u0007')), ['body.text']],
      ['message:send', message('long-enough-3', { type: 'html', text: '<b>' }), ['body.type']],
      ['message:send', message('long-enough-4', { ...text('x'), html: '<b>' }), ['body.html']],
      ['message:history', { conversationId, beforeSeq: 5, afterSeq: 1 }, ['']],
      ['message:history', { conversationId, limit: 101 }, ['limit']],
      ['conversation:read', { conversationId, seq: -1 }, ['seq']],
      ['conversation:read', { conversationId, seq: 1.5 }, ['seq']],
      ['conversation:sync', { cursor: null, limit: 0 }, ['limit']],
      ['conversation:start', { userId: 'has space' }, ['userId']],
      ['user:search', { query: 'q'.repeat(65) }, ['query']],
      ['user:search', { query: 'q', extra: true }, ['extra']],
      // Only the server records system events.
      [
        'message:send',
        message('long-enough-5', { type: 'system', event: { kind: 'group.dismissed' } }),
        ['body.type'],
      ],
      ['message:send', message('long-enough-6', { ...text('x'), mentions: ['has space'] }), ['body.mentions.0']],
      ['group:create', { name: '  ', memberIds: [] }, ['name']],
      ['group:create', { name: 'Team', memberIds: Array(201).fill('bob') }, ['memberIds']],
      ['group:update', { conversationId }, ['']],
      ['group:update', { conversationId, avatar: 'javascript:alert(1)' }, ['avatar']],
      ['group:set-role', { conversationId, userId: 'bob', role: 'owner' }, ['role']],
      ['group:set-join-policy', { conversationId, joinPolicy: 'invite-only' }, ['joinPolicy']],
      ['group:members', { conversationId, limit: 201 }, ['limit']],
      ['invite:create', { conversationId, maxUses: 0 }, ['maxUses']],
      ['invite:join', { code: '' }, ['code']],
    ];
    for (const [name, payload, paths] of cases) {
      const ack = await alice.raw(name, payload);
      expect(ack.ok, name).toBe(false);
      if (ack.ok) continue;
      expect(ack.error.code).toBe('invalid_payload');
      const label = `${name} ${JSON.stringify(payload).slice(0, 80)}`;
      expect(ack.error.issues?.map((issue) => issue.path), label).toEqual(paths);
    }
    await expectUnchanged(alice, conversationId);
  });

  it('ignores events without an ack, and keeps serving', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const untyped = alice.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    untyped.emit('message:send', { conversationId, clientId: 'without-ack-1', body: text('no ack') });
    untyped.emit('message:send');
    untyped.emit('conversation:read', { conversationId, seq: 1 }, 'not a function');
    untyped.emit('no:such:event', { a: 1 });
    await expectUnchanged(alice, conversationId);
  });

  it('answers unknown_event to names it does not know, prototype names included', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const names = ['message:delete', 'toString', '__proto__', 'constructor', 'hasOwnProperty'];
    // "error" is special to Node's EventEmitter: emitted without a listener, it throws.
    for (const name of [...names, 'error', 'x'.repeat(10_000)]) {
      expect(await alice.raw(name, {})).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    }
    await expectUnchanged(alice, conversationId);
  });

  it('ends only the offending connection when a packet is larger than allowed', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const bob = await server.connect('bob');
    const untyped = bob.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    const huge = { conversationId, clientId: 'huge-packet', body: text('x'.repeat(400_000)) };
    untyped.emit('message:send', huge);
    expect(await bob.waitForDisconnect()).toBe('transport close');
    await expectUnchanged(alice, conversationId);
  });

  it('reports unavailable storage without a false ack or a broadcast', async () => {
    const { alice, conversationId } = await chatWithOneMessage();
    const bob = await server.connect('bob');
    await server.storage.close();
    const ack = await alice.command('message:send', {
      conversationId,
      clientId: 'while-storage-is-down',
      body: text('lost?'),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const history = await alice.command('message:history', { conversationId });
    expect(history).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(bob.received['message:new']).toEqual([]);
    expect(alice.socket.connected).toBe(true);
  });

  it('caps the issues listed for a payload full of unknown fields', async () => {
    const { alice } = await chatWithOneMessage();
    const payload = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const ack = await alice.raw('user:search', { query: '', ...payload });
    expect(ack.ok).toBe(false);
    expect(ack.ok ? [] : ack.error.issues).toHaveLength(20);
  });

  it('rate-limits each connection with rate_limited and retryAfterMs, changing nothing', async () => {
    server = await TestServer.start({ rateLimit: { capacity: 4, refillPerSecond: 0.01 } });
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
    for (let i = 0; i < 3; i++) await alice.ok('user:search', { query: '' });

    const limited = await alice.command('message:send', {
      conversationId: conversation.id,
      clientId: 'over-the-limit',
      body: text('too many'),
    });
    expect(limited).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(limited.ok ? 0 : limited.error.retryAfterMs).toBeGreaterThan(0);
    expect((await server.storage.messages.read.history(conversation.id, { limit: 10 })).messages).toEqual([]);

    // The limit is per connection: another tab of the same user is served.
    const otherTab = await server.connect('alice');
    expect((await otherTab.ok('user:search', { query: 'bob' })).users).toHaveLength(1);
  });
});
