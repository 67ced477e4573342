import { expect } from '@open-wc/testing';
import type { ChatClient, TimelineEntry } from '../../src/client/index.js';
import type { HistoryBody } from '../../src/protocol/index.js';
import { receiptsOf } from '../../src/client/index.js';
import { online, people, signIn, stopAllClients, texts, timeline } from '../support/browser/chat-clients.js';
import { waitFor } from '../support/browser/im-server.js';

async function pair() {
  const [alice, bob] = await people('alice', 'bob');
  const id = await alice!.client.startConversation(bob!.id);
  return { alice: alice!, bob: bob!, id };
}

async function sentSeq(client: ChatClient, id: string, text: string): Promise<number> {
  await client.send(id, text);
  let seq: number | null = null;
  await waitFor(async () => {
    seq = (await timeline(client, id)).find((e) => e.body.type === 'text' && e.body.text === text)?.seq ?? null;
    return seq !== null;
  }, `"${text}" to be acknowledged`);
  return seq!;
}

describe('ChatClient message actions against a real server', () => {
  afterEach(() => stopAllClients());

  it('recalls a message on both sides; the event itself is not a timeline message', async () => {
    const { alice, bob, id } = await pair();
    const seq = await sentSeq(alice.client, id, 'meant for someone else');
    await waitFor(async () => (await texts(bob.client, id)).includes('meant for someone else:sent'), 'Bob to get it');

    await alice.client.messages.recall(id, seq);
    for (const client of [alice.client, bob.client]) {
      await waitFor(async () => (await texts(client, id))[0] === '[recalled]:sent', 'the recall on every side');
    }
    // Bob's unread count does not grow with the recall event.
    expect(await bob.client.cache!.totalUnread()).to.equal(1);
  });

  it('edits a message everywhere and marks it edited', async () => {
    const { alice, bob, id } = await pair();
    const seq = await sentSeq(alice.client, id, 'see you at 5');
    await alice.client.messages.edit(id, seq, 'see you at 6');
    await waitFor(async () => (await texts(bob.client, id)).includes('see you at 6:sent'), 'Bob to see the edit');
    const [entry] = await timeline(bob.client, id);
    expect(entry?.editedAt).to.be.a('number');
    // A client that fetches history after the fact gets the edited text, not the old one.
    const tablet = await signIn(bob.id);
    await online(tablet);
    await tablet.ensureHistory(id, 1, 2);
    expect((await texts(tablet, id))[0]).to.equal('see you at 6:sent');
  });

  it('sends a reply that quotes the original, also while it waits to be sent', async () => {
    const { alice, bob, id } = await pair();
    const seq = await sentSeq(alice.client, id, 'Which day works?');
    await waitFor(async () => (await timeline(bob.client, id)).length > 0, 'Bob to get it');
    const [original] = await timeline(bob.client, id);
    const replyTo = bob.client.messages.replyRef({ conversationId: id, seq, senderId: alice.id, body: original!.body })!;
    await bob.client.send(id, 'Tuesday', {}, { replyTo });
    const pending = (await timeline(bob.client, id)).at(-1);
    expect(pending?.replyTo).to.deep.equal({ seq, senderId: alice.id, type: 'text', excerpt: 'Which day works?' });
    await waitFor(
      async () => (await timeline(alice.client, id)).some((entry) => entry.replyTo?.seq === seq),
      'Alice to get the reply with its quote',
    );
  });

  it('forwards messages as one chat history, shown at once, and forwards that history as it is', async () => {
    const [alice, bob, carol] = await people('alice', 'bob', 'carol');
    const withBob = await alice!.client.startConversation(bob!.id);
    const withCarol = await alice!.client.startConversation(carol!.id);
    const question = await sentSeq(alice!.client, withBob, 'Lunch tomorrow?');
    const answer = await sentSeq(alice!.client, withBob, 'Or on Friday');

    await alice!.client.messages.forwardHistory(withBob, [answer, question], withCarol);
    // Made from what Alice's device has, until the server's copy replaces it.
    const shown = (await timeline(alice!.client, withCarol)).at(-1)!.body;
    expect(shown).to.deep.include({ type: 'history', from: { kind: 'single', userIds: [alice!.id, bob!.id] } });
    const expected = (shown as HistoryBody).items.map((item) => item.body);
    expect(expected).to.deep.equal([
      { type: 'text', text: 'Lunch tomorrow?' },
      { type: 'text', text: 'Or on Friday' },
    ]);
    let received: TimelineEntry | undefined;
    await waitFor(async () => {
      received = (await timeline(carol!.client, withCarol)).find((entry) => entry.body.type === 'history');
      return received !== undefined;
    }, 'Carol to get the history');
    expect((received!.body as HistoryBody).items.map((item) => item.body)).to.deep.equal(expected);

    const carolWithBob = await carol!.client.startConversation(bob!.id);
    const message = { conversationId: withCarol, seq: received!.seq!, senderId: alice!.id, body: received!.body as HistoryBody };
    await carol!.client.messages.forward(message, carolWithBob);
    await waitFor(
      async () => (await timeline(bob!.client, carolWithBob)).some((entry) => entry.body.type === 'history' && entry.status === 'sent'),
      'Bob to get the same history',
    );
    const copy = (await timeline(bob!.client, carolWithBob)).find((entry) => entry.body.type === 'history')!;
    expect(copy.body).to.deep.equal(received!.body);
  });

  it('forwards to another conversation and hides a message on this device only', async () => {
    const [alice, bob, carol] = await people('alice', 'bob', 'carol');
    const withBob = await alice!.client.startConversation(bob!.id);
    const withCarol = await alice!.client.startConversation(carol!.id);
    const seq = await sentSeq(alice!.client, withBob, 'news worth sharing');
    const [entry] = await timeline(alice!.client, withBob);
    await alice!.client.messages.forward({ conversationId: withBob, seq, senderId: alice!.id, body: entry!.body }, withCarol);
    await waitFor(async () => (await texts(carol!.client, withCarol)).includes('news worth sharing:sent'), 'Carol to get the copy');

    await alice!.client.messages.hideForMe(withBob, entry!.messageId!);
    expect(await texts(alice!.client, withBob)).to.deep.equal([]);
    expect(await texts(bob!.client, withBob)).to.include('news worth sharing:sent');
  });

  it('keeps pin and mute on all devices of the user, and drafts on this one', async () => {
    const { alice, bob, id } = await pair();
    await sentSeq(alice.client, id, 'hello');
    const aliceTablet = await signIn(alice.id);
    await online(aliceTablet);
    await alice.client.conversations.setSettings(id, { pinned: true, notificationsMuted: true });
    await waitFor(async () => {
      const seen = await aliceTablet.cache!.conversation(id);
      return !!seen?.pinnedAt && seen.notificationsMuted;
    }, 'the other device to get the settings');
    expect((await bob.client.cache!.conversation(id))?.pinnedAt ?? null).to.equal(null);

    await alice.client.conversations.saveDraft({ conversationId: id, text: 'half a thought', mentions: [], replyTo: null });
    expect((await alice.client.conversations.draft(id))?.text).to.equal('half a thought');
    await alice.client.conversations.saveDraft({ conversationId: id, text: '  ', mentions: [], replyTo: null });
    expect(await alice.client.conversations.draft(id)).to.equal(undefined);
  });

  it('shows who is typing until they send, and reports delivery and reading to the sender', async () => {
    const { alice, bob, id } = await pair();
    await sentSeq(alice.client, id, 'anyone there?');
    const typing: string[][] = [];
    alice.client.conversations.on('typing', (event) => typing.push(event.userIds));
    bob.client.conversations.typing(id);
    await waitFor(() => alice.client.conversations.typists(id).includes(bob.id), 'Alice to see Bob typing');
    await bob.client.send(id, 'yes!');
    await waitFor(() => alice.client.conversations.typists(id).length === 0, 'the indicator to stop with the message');
    expect(typing).to.deep.equal([[bob.id], []]);

    // Bob's client reported delivery on its own; reading it moves readSeq too.
    await alice.client.conversations.loadReceipts(id);
    await waitFor(async () => {
      const receipt = (await receiptsOf(alice.client.cache!, id)).find((r) => r.userId === bob.id);
      return (receipt?.deliveredSeq ?? 0) >= 1;
    }, 'delivery of the first message');
    await bob.client.markRead(id);
    await waitFor(async () => {
      const receipt = (await receiptsOf(alice.client.cache!, id)).find((r) => r.userId === bob.id);
      return receipt?.readSeq === 2;
    }, 'Bob’s read receipt');
  });
});
