import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from './support/fake-server.js';
import { ManualClock } from './support/manual-clock.js';
import { startClient, statusBecomes, stopAllClients, texts, timelineReads, until } from './support/clients.js';

describe('the outbox', () => {
  afterEach(stopAllClients);

  it('keeps unsent messages across a restart on the same database, then sends them in order, each sent from its ack', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    const alice = await startClient(server, clock, 'alice');
    await statusBecomes(alice, 'online');

    server.stop();
    await statusBecomes(alice, 'offline');
    const written = [];
    for (const text of ['one', 'two', 'three']) written.push(await alice.send(conversationId, text));
    expect(await texts(alice, conversationId)).toEqual(['one:pending', 'two:pending', 'three:pending']);
    alice.stop();

    // A reload: a new client on the same database, before the server answers anything.
    server.hold('message:send');
    const reloaded = await startClient(server, clock, 'alice');
    await timelineReads(reloaded, conversationId, ['one:pending', 'two:pending', 'three:pending']);

    server.start();
    const sent = [];
    for (const [index, text] of ['one', 'two', 'three'].entries()) {
      const send = await server.nextHeld('message:send');
      sent.push(send.payload.clientId);
      expect(send.payload.body).toEqual({ type: 'text', text });
      // One at a time: the next waits for this one's ack.
      expect(server.heldCount('message:send')).toBe(0);
      send.accept();
      const expected = ['one', 'two', 'three'].map((t, i) => `${t}:${i <= index ? 'sent' : 'pending'}`);
      await timelineReads(reloaded, conversationId, expected);
    }
    expect(sent).toEqual(written.map((entry) => entry.clientId));
    expect(server.messages(conversationId).map((message) => message.seq)).toEqual([1, 2, 3]);
    expect(await reloaded.cache!.db.outbox.count()).toBe(0);
  });

  it('marks a message failed, with the code, when the server refuses it, and goes on with the next', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    server.hold('message:send');
    const alice = await startClient(server, clock, 'alice');
    await statusBecomes(alice, 'online');

    const refused = await alice.send(conversationId, 'not allowed');
    await alice.send(conversationId, 'fine');
    (await server.nextHeld('message:send')).refuse('forbidden');
    (await server.nextHeld('message:send')).accept();

    await timelineReads(alice, conversationId, ['fine:sent', 'not allowed:failed']);
    const failed = await alice.cache!.outboxEntry(refused.clientId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'forbidden' } });

    // Retrying puts it back in line; this time the server takes it.
    await alice.retry(refused.clientId);
    (await server.nextHeld('message:send')).accept();
    await timelineReads(alice, conversationId, ['fine:sent', 'not allowed:sent']);
  });

  it('retries a refusal the server may not repeat after a delay that doubles, with the same clientId', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    server.hold('message:send');
    const alice = await startClient(server, clock, 'alice');
    await statusBecomes(alice, 'online');

    const entry = await alice.send(conversationId, 'hello');
    let send = await server.nextHeld('message:send');
    let refusedAt = clock.now();
    send.refuse('unavailable');
    await clock.scheduledAt(refusedAt + 1_000);
    const waiting = await alice.cache!.outboxEntry(entry.clientId);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, error: { code: 'unavailable' } });
    expect(server.heldCount('message:send')).toBe(0);

    clock.advance(1_000);
    send = await server.nextHeld('message:send');
    expect(send.payload.clientId).toBe(entry.clientId);
    refusedAt = clock.now();
    send.refuse('internal');
    await clock.scheduledAt(refusedAt + 2_000);

    // A server that says when to come back is heard, when that is later than the backoff.
    clock.advance(2_000);
    send = await server.nextHeld('message:send');
    refusedAt = clock.now();
    send.refuse('rate_limited', { retryAfterMs: 7_000 });
    await clock.scheduledAt(refusedAt + 7_000);

    clock.advance(7_000);
    (await server.nextHeld('message:send')).accept();
    await timelineReads(alice, conversationId, ['hello:sent']);
  });

  it('resends a message whose ack did not come in time, and takes the original from the duplicate ack', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    server.hold('message:send');
    const alice = await startClient(server, clock, 'alice', { requestTimeoutMs: 5_000 });
    await statusBecomes(alice, 'online');

    const entry = await alice.send(conversationId, 'hello');
    // The server stores it, but its ack is lost.
    const lost = await server.nextHeld('message:send');
    const sentAt = clock.now();
    clock.advance(5_000);
    const timedOut = await until(
      () => alice.cache!.outboxEntry(entry.clientId),
      (e) => e?.attempts === 1,
      'the timeout to count as an attempt',
    );
    expect(timedOut).toMatchObject({ status: 'pending', error: { code: 'timeout' } });
    await clock.scheduledAt(sentAt + 5_000 + 1_000);
    clock.advance(1_000);

    const resend = await server.nextHeld('message:send');
    expect(resend.payload.clientId).toBe(entry.clientId);
    lost.accept(); // the first attempt did reach the server after all: its ack goes nowhere
    resend.accept();
    await timelineReads(alice, conversationId, ['hello:sent']);
    expect(server.messages(conversationId)).toHaveLength(1);
  });

  it('fails a message after its last attempt times out', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    server.hold('message:send');
    const alice = await startClient(server, clock, 'alice', {
      requestTimeoutMs: 5_000,
      outbox: { maxAttempts: 2, retryDelayMs: 500 },
    });
    await statusBecomes(alice, 'online');

    const entry = await alice.send(conversationId, 'into the void');
    await server.nextHeld('message:send');
    clock.advance(5_000);
    await clock.scheduledAt(clock.now() + 500);
    clock.advance(500);
    await server.nextHeld('message:send');
    clock.advance(5_000);

    await timelineReads(alice, conversationId, ['into the void:failed']);
    expect(await alice.cache!.outboxEntry(entry.clientId)).toMatchObject({ attempts: 2, error: { code: 'timeout' } });
  });

  it('does not count an outage as an attempt: a send cut off by a lost connection goes again on reconnect', async () => {
    const clock = new ManualClock();
    const server = new FakeServer(clock);
    const conversationId = server.singleChat('alice', 'bob');
    server.hold('message:send');
    const alice = await startClient(server, clock, 'alice');
    await statusBecomes(alice, 'online');

    const entry = await alice.send(conversationId, 'hello');
    await server.nextHeld('message:send');
    server.stop();
    await statusBecomes(alice, 'offline');
    server.start();

    const resend = await server.nextHeld('message:send');
    expect(resend.payload.clientId).toBe(entry.clientId);
    expect(await alice.cache!.outboxEntry(entry.clientId)).toMatchObject({ attempts: 0, status: 'pending' });
    resend.accept();
    await timelineReads(alice, conversationId, ['hello:sent']);
  });
});
