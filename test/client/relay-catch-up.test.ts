/**
 * Catching up when the server says live delivery may have missed something: two server
 * processes linked by Redis, this browser's client on the first, a sender on the second
 * whose messages are acked while Redis dies. Their relay is lost; once Redis is back the
 * server pushes `sync:required`, and the client must fetch them by itself.
 */
import { expect } from '@open-wc/testing';
import { ChatClient, type ClientStatus } from '../../src/client/index.js';
import type { RelayChat, RelayClusterStart } from '../support/wtr/relay-outage.js';
import { online, stopAllClients, texts, track } from '../support/browser/chat-clients.js';
import { serverCommand, uniqueUser, waitFor } from '../support/browser/im-server.js';

describe('ChatClient told to sync by a scaled-out server', () => {
  afterEach(async () => {
    stopAllClients();
    await serverCommand('im-relay-cluster-stop');
  });

  it('fetches the messages whose relay was lost, without sending or reconnecting', async function () {
    this.timeout(90_000);
    const [aliceId, bobId] = [uniqueUser('alice'), uniqueUser('bob')];
    const cluster = await serverCommand<RelayClusterStart>('im-relay-cluster-start', {
      sub: bobId,
    });
    if (!cluster.available) {
      console.warn('Skipped: PostgreSQL and Redis are not reachable (see the test runner output).');
      this.skip();
      return;
    }
    const bob = track(new ChatClient({ server: cluster.url, token: cluster.token }));
    await bob.start();
    await online(bob);
    const statuses: ClientStatus[] = [];
    bob.on('status', (status) => statuses.push(status));

    const chat = await serverCommand<RelayChat>('im-relay-chat', {
      from: aliceId,
      to: bobId,
    });
    const has = async () => new Set(await texts(bob, chat.conversationId));
    await waitFor(async () => {
      const known = await has();
      return bob.status === 'online' && chat.sent.every((text) => known.has(`${text}:sent`));
    }, 'Bob to have the chat before the outage');

    const lost = await serverCommand<string[]>('im-relay-lose');
    // The scenario holds: acked while Bob's process was cut off, and not relayed to him.
    const during = await has();
    expect(lost.filter((text) => during.has(`${text}:sent`))).to.deep.equal([]);

    await serverCommand('im-relay-restore');
    await waitFor(
      async () => {
        const known = await has();
        return lost.every((text) => known.has(`${text}:sent`));
      },
      'every acked message to reach Bob\'s cache',
      30_000,
    );
    // Caught up on the same connection: it never went offline or reconnected.
    expect(statuses.filter((status) => status === 'offline' || status === 'connecting')).to.deep.equal([]);
  });
});
