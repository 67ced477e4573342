import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message, User } from '../../src/protocol/index.js';
import { FanOut } from '../../src/server/fan-out/fan-out.js';
import type { ImServer, ImSocket } from '../../src/server/types.js';
import { TestClient, type ClientSocket } from '../support/node/client.js';

/**
 * The fan-out alone, on a bare socket.io server: a connection is whoever its handshake
 * names, and opens its session through the fan-out as the real server does.
 */
describe('fan-out', () => {
  let http: HttpServer;
  let io: ImServer;
  let fanOut: FanOut;
  let url: string;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    http = createHttpServer();
    io = new Server(http);
    fanOut = new FanOut(io);
    io.use((socket, next) => {
      const userId = String(socket.handshake.auth['userId']);
      socket.data = { user: userOf(userId), expiresAt: null, visitor: false, aliases: [] };
      next();
    });
    io.on('connection', (socket) => {
      fanOut.openSession(socket, { user: socket.data.user, serverTime: 0, expiresAt: null, aliases: [] });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });

  async function open(userId: string): Promise<TestClient> {
    const socket: ClientSocket = connect(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { userId },
    });
    const client = new TestClient(socket);
    clients.push(client);
    await client.waitFor('session:ready');
    return client;
  }

  /** The server's side of a client's connection. */
  function serverSocket(client: TestClient): ImSocket {
    const socket = io.sockets.sockets.get(client.socket.id!);
    if (!socket) throw new Error(`no server socket for ${client.socket.id}`);
    return socket;
  }

  /**
   * Events reach a connection in the order they were emitted: once this one (to the
   * user's room) arrived, anything emitted to the connection before it has too.
   */
  let barriers = 0;
  async function barrier(connections: readonly TestClient[]): Promise<void> {
    const marker = `barrier-${++barriers}`;
    for (const client of connections) fanOut.joinRequestDecided(client.session.user.id, decided(marker));
    for (const client of connections) {
      await client.waitFor('join-request:decided', (decision) => decision.conversationId === marker);
    }
  }

  it('opens a session with session:ready, in the user room at once: a conversation started right after reaches it', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    expect(alice.received['session:ready']).toEqual([
      { user: userOf('alice'), serverTime: 0, expiresAt: null, aliases: [] },
    ]);

    fanOut.conversationStarted('c1', ['alice', 'bob']);
    const hello = entry('c1', 'hello');
    fanOut.newEntry(hello);

    expect(await alice.waitFor('message:new')).toEqual(hello);
    expect(await bob.waitFor('message:new')).toEqual(hello);
  });

  it('joins newcomers before the events of a timeline change, and lets those out leave after theirs', async () => {
    const alice = await open('alice');
    const bob = await open('bob');
    const bobTab2 = await open('bob');
    const carol = await open('carol');
    const dave = await open('dave');
    for (const client of [alice, bob, bobTab2]) fanOut.followConversations(serverSocket(client), ['g1']);

    const added = entry('g1', 'carol was added');
    fanOut.timelineChanged({ conversationId: 'g1', events: [added], joined: ['alice', 'carol'] });
    for (const client of [alice, bob, bobTab2, carol]) expect(await client.waitFor('message:new')).toEqual(added);

    const removed = entry('g1', 'bob was removed');
    fanOut.timelineChanged({ conversationId: 'g1', events: [removed], joined: ['alice', 'carol'], left: ['bob'] });
    const after = entry('g1', 'after bob left');
    fanOut.newEntry(after);

    for (const client of [alice, carol]) {
      await client.waitFor('message:new', (message) => message.id === after.id);
    }
    await barrier([bob, bobTab2, dave]);
    for (const tab of [bob, bobTab2]) {
      expect(tab.received['message:new']).toEqual([added, removed]);
    }
    expect(dave.received['message:new']).toEqual([]);
  });

  it('sends a new entry to everyone in the conversation but the connection that made it', async () => {
    const alice = await open('alice');
    const aliceTab2 = await open('alice');
    const bob = await open('bob');
    for (const client of [alice, aliceTab2, bob]) fanOut.followConversations(serverSocket(client), ['c1']);

    const sent = entry('c1', 'from the first tab');
    fanOut.newEntry(sent, serverSocket(alice));

    expect(await aliceTab2.waitFor('message:new')).toEqual(sent);
    expect(await bob.waitFor('message:new')).toEqual(sent);
    await barrier([alice]);
    expect(alice.received['message:new']).toEqual([]);
  });

  it('tells who is typing and how far members got to the others, never back to the connection it came from', async () => {
    const alice = await open('alice');
    const aliceTab2 = await open('alice');
    const bob = await open('bob');
    for (const client of [alice, aliceTab2, bob]) fanOut.followConversations(serverSocket(client), ['c1']);

    const typing = { conversationId: 'c1', userId: 'alice', ttlMs: 5000 };
    fanOut.typing(typing, serverSocket(alice));
    const receipt = { conversationId: 'c1', userId: 'alice', deliveredSeq: 3, readSeq: 2 };
    fanOut.receipt(receipt, serverSocket(alice));

    for (const client of [aliceTab2, bob]) {
      expect(await client.waitFor('typing')).toEqual(typing);
      expect(await client.waitFor('conversation:receipt')).toEqual(receipt);
    }
    await barrier([alice]);
    expect(alice.received.typing).toEqual([]);
    expect(alice.received['conversation:receipt']).toEqual([]);
  });

  it("tells a user's other connections, and nobody else, where they read", async () => {
    const alice = await open('alice');
    const aliceTab2 = await open('alice');
    const bob = await open('bob');

    const read = { conversationId: 'c1', userId: 'alice', readSeq: 4 };
    fanOut.readMoved(read, serverSocket(alice));

    expect(await aliceTab2.waitFor('conversation:read')).toEqual(read);
    await barrier([alice, bob]);
    expect(alice.received['conversation:read']).toEqual([]);
    expect(bob.received['conversation:read']).toEqual([]);
  });

  it('replaces a connection’s presence watch with the latest one', async () => {
    const watcher = await open('alice');
    fanOut.watchPresence(serverSocket(watcher), ['bob', 'carol']);
    fanOut.watchPresence(serverSocket(watcher), ['carol', 'dave']);

    for (const userId of ['bob', 'carol', 'dave']) fanOut.presence({ userId, online: true, lastSeenAt: null });

    await watcher.waitFor('presence', (presence) => presence.userId === 'dave');
    expect(watcher.received.presence.map((presence) => presence.userId)).toEqual(['carol', 'dave']);
  });

  it('reaches nobody when a delivery names nobody (an empty list is not "every connection")', async () => {
    const alice = await open('alice');
    const bob = await open('bob');

    fanOut.joinRequested([], { conversationId: 'g1', userId: 'bob', user: userOf('bob'), requestedAt: 1 });
    fanOut.timelineChanged({ conversationId: 'g1', events: [], joined: [], left: [] });
    fanOut.conversationStarted('g1', []);
    fanOut.newEntry(entry('g1', 'only for members'));

    await barrier([alice, bob]);
    for (const client of [alice, bob]) {
      expect(client.received['join-request:new']).toEqual([]);
      expect(client.received['message:new']).toEqual([]);
    }
  });

  it('puts agents and the customer in a new case, and takes a former agent out of the team and its cases', async () => {
    const customer = await open('customer');
    const agent = await open('agent');
    const other = await open('other');
    fanOut.agentJoined('agent', []);
    fanOut.watchSupportAvailability(serverSocket(customer));

    fanOut.supportCaseOpened('s1', 'customer');
    const question = entry('s1', 'hello?');
    fanOut.newEntry(question);
    const availability = { agentsOnline: true, withinHours: true, nextOpenAt: null, timeZone: 'UTC' };
    fanOut.supportAvailability(availability);

    expect(await customer.waitFor('message:new')).toEqual(question);
    expect(await agent.waitFor('message:new')).toEqual(question);
    expect(await customer.waitFor('support:availability')).toEqual(availability);

    fanOut.agentLeft('agent', ['s1']);
    fanOut.supportCaseOpened('s2', 'customer');
    fanOut.newEntry(entry('s1', 'still there?'));
    fanOut.newEntry(entry('s2', 'a second case'));

    await customer.waitFor('message:new', (message) => message.conversationId === 's2');
    await barrier([agent, other]);
    expect(agent.received['message:new']).toEqual([question]);
    expect(agent.received['support:availability']).toEqual([]);
    expect(other.received['message:new']).toEqual([]);
  });

  it('hands a visitor’s case over to the user who claimed it', async () => {
    const visitor = await open('visitor');
    const user = await open('user');
    fanOut.supportCaseOpened('s1', 'visitor');

    fanOut.supportCaseHandedOver('s1', 'visitor', 'user');
    const claimed = entry('s1', 'claimed');
    fanOut.newEntry(claimed);

    expect(await user.waitFor('message:new')).toEqual(claimed);
    await barrier([visitor]);
    expect(visitor.received['message:new']).toEqual([]);
  });

  it('ends every connection of a user, and only theirs', async () => {
    const alice = await open('alice');
    const aliceTab2 = await open('alice');
    const bob = await open('bob');

    fanOut.endSessions('alice');

    await alice.waitForDisconnect();
    await aliceTab2.waitForDisconnect();
    await barrier([bob]);
    expect(bob.socket.connected).toBe(true);
  });

  it('asks every connection to catch up', async () => {
    const alice = await open('alice');
    const bob = await open('bob');

    fanOut.syncRequired('local');

    for (const client of [alice, bob]) expect(await client.waitFor('sync:required')).toEqual({});
  });
});

function userOf(id: string): User {
  return { id, name: id, avatar: null };
}

let entries = 0;
function entry(conversationId: string, text: string): Message {
  entries += 1;
  return {
    id: `m${entries}`,
    conversationId,
    seq: entries,
    senderId: 'alice',
    clientId: `client-${entries}`,
    body: { type: 'text', text },
    createdAt: entries,
  };
}

function decided(conversationId: string) {
  return {
    conversationId,
    approved: true,
    group: { id: conversationId, name: 'Barrier', avatar: null, description: '', memberCount: 1, joinPolicy: 'open' as const },
  };
}
