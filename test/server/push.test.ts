import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PushNotification } from '../../src/protocol/schemas.js';
import type { TestClient } from '../support/node/client.js';
import { sendText } from '../support/node/groups.js';
import { PushService, subscriberKeys } from '../support/node/push-service.js';
import { TestServer } from '../support/node/server.js';
import { ask, connectAgent, connectVisitor, startSupportServer } from '../support/node/support.js';

describe('web push', () => {
  let server: TestServer;
  let service: PushService;
  beforeEach(async () => {
    service = await PushService.start();
    // The test's push service runs on loopback: trusted by name, as an operator would set it.
    server = await TestServer.start({ push: { trustedHosts: [new URL(service.origin).host] } });
  });
  afterEach(async () => {
    await server.close();
    await service.close();
  });

  /** Subscribes one of the user's browsers; the connection closes, so the user is offline. */
  async function subscribeOffline(userId: 'alice' | 'bob' | 'carol' | 'dave'): Promise<string> {
    const client = await server.connect(userId);
    const subscription = service.subscribe();
    await client.ok('push:subscribe', subscription);
    client.close();
    await client.waitForDisconnect();
    return subscription.endpoint;
  }

  async function chat(from: TestClient, peerId: string): Promise<string> {
    return (await from.ok('conversation:start', { userId: peerId })).conversation.id;
  }

  it('pushes a new message, encrypted for the browser and signed with the server key', async () => {
    const bobsBrowser = await subscribeOffline('bob');
    const alice = await server.connect('alice');
    const { publicKey } = await alice.ok('push:config', {});
    expect(Buffer.from(publicKey!, 'base64url')).toHaveLength(65);
    const conversationId = await chat(alice, 'bob');
    const { message } = await sendText(alice, conversationId, `hello\nBob ${'x'.repeat(200)}`);

    const [push] = await service.waitForPushes(bobsBrowser);
    const payload = PushNotification.parse(push!.payload);
    expect(payload).toMatchObject({ conversationId, seq: message.seq, title: 'Alice', tag: conversationId });
    expect(payload.body).toMatch(/^hello Bob x+…$/);
    expect([...payload.body]).toHaveLength(120);
    expect(push!.headers).toMatchObject({ 'content-encoding': 'aes128gcm', urgency: 'high' });
    const jwt = '[\\w-]+\\.[\\w-]+\\.[\\w-]+';
    expect(push!.headers.authorization).toMatch(new RegExp(`^vapid t=${jwt}, k=${publicKey}$`));
  });

  it('keeps its VAPID keys in storage across restarts', async () => {
    const before = await (await server.connect('alice')).ok('push:config', {});
    await server.restart();
    expect(await (await server.connect('alice')).ok('push:config', {})).toEqual(before);
  });

  it('pushes only to members with no connection, never to the sender or those who muted it', async () => {
    const bobsBrowser = await subscribeOffline('bob');
    const carolsBrowser = await subscribeOffline('carol');
    const davesBrowser = await subscribeOffline('dave');
    const alicesBrowser = await subscribeOffline('alice');
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('group:create', {
      name: 'Team',
      memberIds: ['bob', 'carol', 'dave'],
    });
    const carol = await server.connect('carol');
    await carol.ok('conversation:settings', { conversationId: conversation.id, notificationsMuted: true });
    carol.close();
    await carol.waitForDisconnect();
    const dave = await server.connect('dave'); // online: the open page shows it

    await sendText(alice, conversation.id, 'standup in 5');
    const [push] = await service.waitForPushes(bobsBrowser);
    expect(push!.payload).toMatchObject({ title: 'Team', body: 'Alice: standup in 5' });

    // Dave's page goes away: the next message reaches his browser as a push.
    dave.close();
    await dave.waitForDisconnect();
    await sendText(alice, conversation.id, 'now');
    await service.waitForPushes(davesBrowser);
    await service.waitForPushes(bobsBrowser, 2);
    const davesPushes = service.pushesTo(davesBrowser).map((p) => (p.payload as PushNotification).body);
    expect(davesPushes).toEqual(['Alice: now']);
    expect(service.pushesTo(carolsBrowser)).toEqual([]);
    expect(service.pushesTo(alicesBrowser)).toEqual([]);
  });

  it('sends nothing for events that are not new messages', async () => {
    const bobsBrowser = await subscribeOffline('bob');
    const alice = await server.connect('alice');
    const { conversation } = await alice.ok('group:create', { name: 'Team', memberIds: ['bob'] });
    await alice.ok('group:update', { conversationId: conversation.id, name: 'Renamed' });
    await sendText(alice, conversation.id, 'first message');
    await service.waitForPushes(bobsBrowser);
    expect(service.pushesTo(bobsBrowser).map((p) => p.payload)).toMatchObject([
      { title: 'Renamed', body: 'Alice: first message' },
    ]);
  });

  it('forgets a subscription that the push service says is gone', async () => {
    const oldBrowser = await subscribeOffline('bob');
    const newBrowser = await subscribeOffline('bob');
    service.expire(oldBrowser);
    const alice = await server.connect('alice');
    const conversationId = await chat(alice, 'bob');
    await sendText(alice, conversationId, 'one');
    await service.waitForRefusal(oldBrowser);
    await service.waitForPushes(newBrowser);

    await sendText(alice, conversationId, 'two');
    await service.waitForPushes(newBrowser, 2);
    expect(service.refused).toEqual([oldBrowser]);
    const targets = await server.storage.push.read.targets({ conversationId, senderId: 'alice', userIds: ['bob'] });
    expect(targets.subscriptions.map((s) => s.endpoint)).toEqual([newBrowser]);
  });

  it('stops pushing to a browser that unsubscribed', async () => {
    const bob = await server.connect('bob');
    const first = service.subscribe();
    const second = service.subscribe();
    await bob.ok('push:subscribe', first);
    await bob.ok('push:subscribe', second);
    await bob.ok('push:unsubscribe', { endpoint: first.endpoint });
    // Someone else's endpoint is not theirs to remove.
    const carol = await server.connect('carol');
    await carol.ok('push:unsubscribe', { endpoint: second.endpoint });
    bob.close();
    await bob.waitForDisconnect();

    const alice = await server.connect('alice');
    await sendText(alice, await chat(alice, 'bob'), 'hi');
    await service.waitForPushes(second.endpoint);
    expect(service.pushesTo(first.endpoint)).toEqual([]);
  });
});

/** The server's log as parsed lines, to wait for one. */
class LogLines extends Writable {
  readonly lines: any[] = [];
  #waiters = new Set<() => void>();

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n').filter(Boolean)) this.lines.push(JSON.parse(line));
    for (const wake of this.#waiters) wake();
    done();
  }

  async waitFor(match: (line: any) => boolean): Promise<any> {
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
      });
    }
  }
}

describe('web push subscriptions', () => {
  it('accepts only https endpoints on the browsers’ push services', async () => {
    const server = await TestServer.start();
    try {
      const alice = await server.connect('alice');
      const { keys } = subscriberKeys();
      for (const endpoint of [
        'http://127.0.0.1:9/push/1',
        'http://fcm.googleapis.com/fcm/send/1',
        'https://10.0.0.1/push',
        'https://[::1]/push',
        'https://[::ffff:169.254.169.254]/push',
        'https://localhost/push',
        'https://localhost./push',
        'https://127.0.0.1.nip.io/push',
        'https://metadata.google.internal/computeMetadata/v1/',
        'https://push.example.com/send/abc',
        'https://fcm.googleapis.com.evil.example/send/1',
        'https://evilpush.apple.com/x',
        'https://user:pw@fcm.googleapis.com/fcm/send/1',
      ]) {
        expect(await alice.command('push:subscribe', { endpoint, keys }), endpoint).toMatchObject({
          ok: false,
          error: { code: 'invalid_payload', issues: [{ path: 'endpoint' }] },
        });
      }
      for (const endpoint of [
        'https://fcm.googleapis.com/fcm/send/abc',
        'https://updates.push.services.mozilla.com/wpush/v2/abc',
        'https://web.push.apple.com/QGx',
        'https://wns2-par02p.notify.windows.com/w/?token=abc',
      ]) {
        await alice.ok('push:subscribe', { endpoint, keys });
      }
      const badKey = { endpoint: 'https://fcm.googleapis.com/x', keys: { p256dh: 'short', auth: keys.auth } };
      expect(await alice.command('push:subscribe', badKey)).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload', issues: [{ path: 'keys.p256dh' }] },
      });
    } finally {
      await server.close();
    }
  });

  it('never connects to a push host that resolves to a private address, even an allowed one', async () => {
    // Stands for an internal service: it counts the connections it gets.
    let connections = 0;
    const internal = createNetServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    const { port } = internal.address() as AddressInfo;
    const logs = new LogLines();
    // An allowed name that resolves to loopback, as a rebinding DNS name would at push time.
    const server = await TestServer.start({
      push: { serviceHosts: ['localhost'] },
      logger: { level: 'warn', stream: logs },
    });
    try {
      const bob = await server.connect('bob');
      const { keys } = subscriberKeys();
      await bob.ok('push:subscribe', { endpoint: `https://localhost:${port}/push/1`, keys });
      // Stored under an older, trusting policy: the policy still applies when sending.
      const stored = { endpoint: `http://127.0.0.1:${port}/push/2`, userId: 'bob', ...keys };
      await server.storage.push.write.subscribe(stored, Date.now());
      bob.close();
      await bob.waitForDisconnect();
      const alice = await server.connect('alice');
      const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });
      await sendText(alice, conversation.id, 'are you there?');

      const refused = await logs.waitFor((line) => line.msg === 'could not reach a push service');
      expect(refused.err.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), not a public address$/);
      await logs.waitFor((line) => line.msg === 'a push endpoint is not allowed: skipped');
      expect(connections).toBe(0);
    } finally {
      await server.close();
      internal.close();
    }
  });

  it('lets a visitor subscribe, so that an agent’s answer reaches their closed tab', async () => {
    const service = await PushService.start();
    const server = await startSupportServer({ push: { trustedHosts: [new URL(service.origin).host] } });
    try {
      const sam = await connectAgent(server, 'sam');
      const { visitor } = await connectVisitor(server);
      const { conversationId } = await ask(visitor, 'where is my order?');
      const browser = service.subscribe();
      await visitor.ok('push:subscribe', browser);
      const { keys } = subscriberKeys();
      expect(await visitor.command('push:subscribe', { endpoint: 'https://169.254.169.254/latest', keys })).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
      visitor.close();
      await visitor.waitForDisconnect();

      await sendText(sam, conversationId, 'it ships today');
      const [push] = await service.waitForPushes(browser.endpoint);
      expect(push!.payload).toMatchObject({ conversationId, body: 'Sam: it ships today' });
    } finally {
      await server.close();
      await service.close();
    }
  });

  it('says there is no key, and takes no subscription, when pushes are off', async () => {
    const server = await TestServer.start({ push: false });
    try {
      const alice = await server.connect('alice');
      expect(await alice.ok('push:config', {})).toEqual({ publicKey: null });
      const result = await alice.command('push:subscribe', {
        endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
        keys: subscriberKeys().keys,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await server.close();
    }
  });
});
