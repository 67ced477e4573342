import { expect } from '@open-wc/testing';
import { ChatClient, type ChatError } from '../../src/client/index.js';
import {
  online,
  signIn,
  stopAllClients,
  texts,
  timeline,
  track,
} from '../support/browser/chat-clients.js';
import {
  serverUrl,
  startServer,
  stopServer,
  tokenFor,
  uniqueUser,
  waitFor,
} from '../support/browser/im-server.js';

describe('ChatClient against a real server', () => {
  afterEach(async () => {
    stopAllClients();
    await startServer(); // if a test stopped it
  });

  it('delivers messages both ways, live', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const bob = await signIn(bobId);
    const alice = await signIn(aliceId);
    await Promise.all([online(alice), online(bob)]);

    const conversationId = await alice.startConversation(bobId);
    await alice.send(conversationId, 'Hi Bob');
    await waitFor(async () => (await texts(bob, conversationId)).includes('Hi Bob:sent'), 'Bob to receive');

    await bob.send(conversationId, 'Hi Alice');
    await waitFor(
      async () => (await texts(alice, conversationId)).join() === 'Hi Bob:sent,Hi Alice:sent',
      'Alice to receive the reply after her message',
    );
    const seqs = (await timeline(alice, conversationId)).map((entry) => entry.seq);
    expect(seqs).to.deep.equal([1, 2]);
  });

  it('shows unsent messages after a restart and delivers them once, in order, when the server is back', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const token = await tokenFor(aliceId);
    const alice = track(new ChatClient({ server: await serverUrl(), token }));
    await alice.start();
    await online(alice);
    const conversationId = await alice.startConversation(await signedUp(bobId));

    await stopServer();
    await waitFor(() => alice.status === 'offline', 'the client to notice the outage');
    const writtenAt: number[] = [];
    for (const text of ['one', 'two', 'three']) writtenAt.push((await alice.send(conversationId, text)).createdAt);
    expect(await texts(alice, conversationId)).to.deep.equal(['one:pending', 'two:pending', 'three:pending']);

    // A reload: this client goes away, a new one opens the same cache before any network.
    alice.stop();
    const reloaded = track(new ChatClient({ server: await serverUrl(), token }));
    await reloaded.start();
    await waitFor(async () => (await texts(reloaded, conversationId)).length === 3, 'the cached outbox');
    expect(await texts(reloaded, conversationId)).to.deep.equal(['one:pending', 'two:pending', 'three:pending']);

    await startServer();
    await waitFor(
      async () => (await texts(reloaded, conversationId)).every((text) => text.endsWith(':sent')),
      'the outbox to drain',
      20_000,
    );
    // Each shows when it was written, not when the server took it (later, after the outage).
    const sent = await timeline(reloaded, conversationId);
    expect(sent.map((entry) => entry.createdAt)).to.deep.equal(writtenAt);
    const accepted = await reloaded.cache!.db.messages.filter((m) => m.conversationId === conversationId).sortBy('seq');
    expect(accepted.every((message, i) => message.createdAt > writtenAt[i]!)).to.equal(true);
    const bob = await signIn(bobId);
    await online(bob);
    await bob.ensureHistory(conversationId, 1, 3);
    expect(await texts(bob, conversationId)).to.deep.equal(['one:sent', 'two:sent', 'three:sent']);
    expect((await timeline(bob, conversationId)).map((entry) => entry.seq)).to.deep.equal([1, 2, 3]);
  });

  it('catches up on reconnect with what was sent while it was away', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const bob = await signIn(bobId);
    await online(bob);
    const alice = await signIn(aliceId);
    await online(alice);
    const conversationId = await alice.startConversation(bobId);
    await alice.send(conversationId, 'first');
    await waitFor(async () => (await texts(bob, conversationId)).length === 1, 'the first message');

    bob.stop();
    for (let i = 2; i <= 6; i++) await alice.send(conversationId, `message ${i}`);
    await waitFor(async () => (await texts(alice, conversationId)).every((t) => t.endsWith(':sent')), 'acks');

    const bobAgain = await signIn(bobId);
    await online(bobAgain);
    expect(await texts(bobAgain, conversationId)).to.deep.equal([
      'first:sent',
      'message 2:sent',
      'message 3:sent',
      'message 4:sent',
      'message 5:sent',
      'message 6:sent',
    ]);
  });

  it('derives unread counts and clears them on read, on the server too', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const bob = await signIn(bobId);
    const alice = await signIn(aliceId);
    await Promise.all([online(alice), online(bob)]);
    const conversationId = await alice.startConversation(bobId);
    for (const text of ['a', 'b', 'c']) await alice.send(conversationId, text);

    await waitFor(async () => (await bob.cache!.totalUnread()) === 3, 'three unread for Bob');
    expect(await alice.cache!.totalUnread()).to.equal(0);

    await bob.markRead(conversationId);
    expect(await bob.cache!.totalUnread()).to.equal(0);

    // Another device of Bob's, with an empty cache, learns the read state from the server.
    await deleteCache(bob);
    bob.stop();
    const bobElsewhere = await signIn(bobId);
    await online(bobElsewhere);
    const list = await bobElsewhere.cache!.conversationList();
    expect(list.map((entry) => [entry.id, entry.unread])).to.deep.equal([[conversationId, 0]]);
  });

  it('marks a message the server rejects as failed, and lets the user retry or discard it', async () => {
    const alice = await signIn(uniqueUser('alice'));
    await online(alice);
    const entry = await alice.send('s_no-such-conversation', 'into the void');

    const failed = await waitFor(
      async () => (await alice.cache!.outboxEntry(entry.clientId))?.status === 'failed',
      'the message to fail',
    );
    expect(failed).to.equal(true);
    expect((await alice.cache!.outboxEntry(entry.clientId))?.error?.code).to.equal('not_found');

    await alice.retry(entry.clientId);
    await waitFor(
      async () => (await alice.cache!.outboxEntry(entry.clientId))?.attempts === 1,
      'the retry to fail again',
    );
    await alice.discard(entry.clientId);
    expect(await alice.cache!.outboxEntry(entry.clientId)).to.equal(undefined);
  });

  it('keeps a conversation and its unsent message when the server comes back with empty storage', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const alice = await signIn(aliceId);
    await online(alice);
    const conversationId = await alice.startConversation(await signedUp(bobId));
    await alice.send(conversationId, 'before');
    await waitFor(async () => (await texts(alice, conversationId)).join() === 'before:sent', 'the ack');

    await stopServer();
    await alice.send(conversationId, 'after the wipe');
    await startServer({ fresh: true });

    await waitFor(
      async () => (await texts(alice, conversationId)).join() === 'after the wipe:failed',
      'the unsent message to fail on the wiped server',
      20_000,
    );
    expect(await alice.cache!.conversation(conversationId)).to.not.equal(undefined);
  });

  it('fetches what it missed when a live message reveals a gap', async () => {
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const bob = await signIn(bobId);
    const alice = await signIn(aliceId);
    await Promise.all([online(alice), online(bob)]);
    const conversationId = await alice.startConversation(bobId);
    for (const text of ['1', '2', '3']) await alice.send(conversationId, text);
    await waitFor(async () => (await texts(bob, conversationId)).length === 3, 'three messages for Bob');

    // Bob's cache loses its newest messages (browsers may evict), as if they never came.
    const db = bob.cache!.db;
    await db.messages.where('[conversationId+seq]').between([conversationId, 2], [conversationId, 3], true, true).delete();
    await db.conversations.update(conversationId, { lastSeq: 1 });

    await alice.send(conversationId, '4');
    await waitFor(async () => (await texts(bob, conversationId)).length === 4, 'the gap to be filled');
    expect((await timeline(bob, conversationId)).map((entry) => entry.seq)).to.deep.equal([1, 2, 3, 4]);
  });

  it('renews a token before it expires and stays connected', async () => {
    const userId = uniqueUser('renewing');
    let calls = 0;
    const client = track(
      new ChatClient({
        server: await serverUrl(),
        // Expires in 62 s: the client renews 60 s ahead, i.e. at once (after its 5 s floor).
        tokenProvider: async () => {
          calls++;
          return tokenFor(userId, { expiresIn: 62 });
        },
      }),
    );
    await client.start();
    await online(client);
    await waitFor(() => calls >= 2, 'the provider to be asked again', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(client.status).to.equal('online');
    const errors: ChatError[] = [];
    client.on('error', (error) => errors.push(error));
    expect(errors).to.deep.equal([]);
  });

  it('reports a refused token and stays signed out without a provider', async () => {
    const errors: ChatError[] = [];
    const client = track(
      new ChatClient({
        server: await serverUrl(),
        token: await tokenFor(uniqueUser('late'), { expiresIn: -120 }),
      }),
    );
    client.on('error', (error) => errors.push(error));
    await client.start();
    await waitFor(() => client.status === 'unauthorized', 'the refusal');
    expect(errors.map((error) => error.code)).to.include('token_expired');
  });

  it('signs in with a token the host gives after the first one was refused', async () => {
    const userId = uniqueUser('late');
    const client = track(
      new ChatClient({ server: await serverUrl(), token: await tokenFor(userId, { expiresIn: -120 }) }),
    );
    await client.start();
    await waitFor(() => client.status === 'unauthorized', 'the refusal');
    client.setToken(await tokenFor(userId));
    await online(client);
    expect(client.user?.id).to.equal(userId);
  });

  it('asks the token provider again when the server refuses an expired token', async () => {
    const userId = uniqueUser('renewed');
    const tokens = [await tokenFor(userId, { expiresIn: -120 }), await tokenFor(userId)];
    let calls = 0;
    const client = track(
      new ChatClient({ server: await serverUrl(), tokenProvider: () => tokens[Math.min(calls++, 1)]! }),
    );
    await client.start();
    await online(client);
    expect(calls).to.equal(2);
    expect(client.user?.id).to.equal(userId);
  });
});

/** Makes the user known to the server (users exist once they have connected). */
async function signedUp(userId: string): Promise<string> {
  const client = await signIn(userId);
  await online(client);
  client.stop();
  return userId;
}

async function deleteCache(client: ChatClient): Promise<void> {
  const name = client.cache!.db.name;
  client.stop();
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });
}
