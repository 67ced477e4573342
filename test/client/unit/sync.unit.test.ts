import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeServer } from './support/fake-server.js';
import { ManualClock } from './support/manual-clock.js';
import { startClient, statusBecomes, stopAllClients, texts, timelineReads } from './support/clients.js';

/** Alice online with a chat with Bob that holds `earlier` messages from him, all cached. */
async function aliceWithBob(...earlier: string[]) {
  const clock = new ManualClock();
  const server = new FakeServer(clock);
  const conversationId = server.singleChat('alice', 'bob');
  for (const text of earlier) server.post(conversationId, 'bob', text);
  const alice = await startClient(server, clock, 'alice');
  await statusBecomes(alice, 'online');
  await timelineReads(alice, conversationId, earlier.map((text) => `${text}:sent`));
  return { server, alice, conversationId };
}

type Alice = Awaited<ReturnType<typeof aliceWithBob>>['alice'];

/** The server goes away until Alice sees it gone, and comes back until she is online again. */
async function reconnect(server: FakeServer, alice: Alice): Promise<void> {
  server.stop();
  await statusBecomes(alice, 'offline');
  server.start();
  await statusBecomes(alice, 'online');
}

/** The plays the server was told of. */
const playsTold = (server: FakeServer) => server.received.filter((command) => command.event === 'message:played');

describe('keeping the cache in step with the server', () => {
  afterEach(stopAllClients);

  it('fetches the gap before a live message that skips seqs, and tells of the message only then', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one', 'two');
    const heard: number[] = [];
    const told = new Promise<void>((resolve) =>
      alice.on('message', (message) => {
        heard.push(message.seq);
        resolve();
      }),
    );
    server.hold('message:history');

    server.post(conversationId, 'bob', 'three'); // lost on the way to Alice
    server.post(conversationId, 'bob', 'four'); // lost too
    server.deliver(server.post(conversationId, 'bob', 'five'));

    const history = await server.nextHeld('message:history');
    expect(history.payload).toEqual({ conversationId, afterSeq: 2, limit: 2 });
    expect(heard).toEqual([]);
    history.accept();

    await told;
    expect(heard).toEqual([5]);
    expect(await texts(alice, conversationId)).toEqual(['one:sent', 'two:sent', 'three:sent', 'four:sent', 'five:sent']);
  });

  it('stays syncing after a reconnect until what was missed is fetched', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    server.stop();
    await statusBecomes(alice, 'offline');
    server.post(conversationId, 'bob', 'two');
    server.post(conversationId, 'bob', 'three');
    server.hold('message:history');
    server.start();

    const history = await server.nextHeld('message:history');
    expect(history.payload).toMatchObject({ conversationId, afterSeq: 1 });
    expect(alice.status).toBe('syncing');
    history.accept();

    await statusBecomes(alice, 'online');
    expect(await texts(alice, conversationId)).toEqual(['one:sent', 'two:sent', 'three:sent']);
    const [conversation] = await alice.cache!.conversationList();
    expect(conversation).toMatchObject({ lastSeq: 3, unread: 3 });
  });

  it('tells the server of a voice message played offline at the next catch-up, and only once', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    server.stop();
    await statusBecomes(alice, 'offline');
    await alice.messages.played(conversationId, 1); // offline: no error, the play waits
    expect(playsTold(server)).toEqual([]);

    server.hold('message:played');
    server.start();
    const play = await server.nextHeld('message:played');
    expect(play.payload).toEqual({ conversationId, seq: 1 });
    play.accept();
    await statusBecomes(alice, 'online');

    // Sent: the next catch-up has nothing more to tell.
    server.deliver(server.post(conversationId, 'bob', 'two'));
    await reconnect(server, alice);
    expect(playsTold(server)).toHaveLength(1);
  });

  it('drops a play recorded offline that the server refuses, such as of a message recalled since', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    server.stop();
    await statusBecomes(alice, 'offline');
    await alice.messages.played(conversationId, 1);
    server.hold('message:played');
    server.start();
    (await server.nextHeld('message:played')).refuse('not_found');
    await statusBecomes(alice, 'online');

    await reconnect(server, alice);
    expect(playsTold(server)).toHaveLength(1);
  });

  it('stores a message that arrives more than once only once, and tells of it once', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    const heard: number[] = [];
    alice.on('message', (message) => heard.push(message.seq));
    const two = server.post(conversationId, 'bob', 'two');
    server.deliver(two);
    server.deliver(two);
    const three = server.post(conversationId, 'bob', 'three');
    server.deliver(three);
    server.deliver(three);

    await timelineReads(alice, conversationId, ['one:sent', 'two:sent', 'three:sent']);
    await server.socket.delivered();
    expect(heard).toEqual([2, 3]);
    expect(await alice.cache!.db.messages.count()).toBe(3);
    const [conversation] = await alice.cache!.conversationList();
    expect(conversation).toMatchObject({ lastSeq: 3, unread: 3 });
  });

  it('catches up from the last cursor when the server says live delivery may have missed something', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    const cursor = await alice.cache!.syncCursor();
    server.post(conversationId, 'bob', 'two'); // relayed while the server's link was down: lost
    server.hold('conversation:sync');
    server.socket.send('sync:required', {});

    const sync = await server.nextHeld('conversation:sync');
    expect(sync.payload).toEqual({ cursor });
    expect(alice.status).toBe('syncing');
    sync.accept();

    await statusBecomes(alice, 'online');
    await timelineReads(alice, conversationId, ['one:sent', 'two:sent']);
  });

  it('runs one more catch-up, not one per signal, for signals that come while one runs', async () => {
    const { server, alice, conversationId } = await aliceWithBob('one');
    server.hold('conversation:sync');
    const syncsBefore = server.received.filter((command) => command.event === 'conversation:sync').length;
    server.socket.send('sync:required', {});
    const first = await server.nextHeld('conversation:sync');
    server.post(conversationId, 'bob', 'two');
    server.socket.send('sync:required', {});
    server.socket.send('sync:required', {});
    // Both signals are heard while the first catch-up waits for its answer.
    await server.socket.delivered();
    first.accept();

    (await server.nextHeld('conversation:sync')).accept();
    await statusBecomes(alice, 'online');
    await timelineReads(alice, conversationId, ['one:sent', 'two:sent']);
    const syncs = server.received.filter((command) => command.event === 'conversation:sync').length;
    expect(syncs - syncsBefore).toBe(2);
    expect(server.heldCount('conversation:sync')).toBe(0);
  });
});
