import { expect } from '@open-wc/testing';
import type { ChatClient } from '../../src/client/index.js';
import { limits } from '../../src/protocol/index.js';
import { online, people, signIn, stopAllClients, timeline } from '../support/browser/chat-clients.js';
import { waitFor } from '../support/browser/im-server.js';

/** The reactions each cached message of a conversation shows, as `emoji:user,user`. */
async function reactions(client: ChatClient, id: string): Promise<string[][]> {
  return (await timeline(client, id)).map((entry) => entry.reactions.map((r) => `${r.emoji}:${r.userIds.join(',')}`));
}

describe('reactions through ChatClient against a real server', () => {
  afterEach(() => stopAllClients());

  it('converge on both sides, on a second device, and on a device that was offline', async () => {
    const [alice, bob] = await people('alice', 'bob');
    const id = await alice!.client.startConversation(bob!.id);
    await alice!.client.send(id, 'Lunch?');
    await waitFor(async () => (await timeline(bob!.client, id)).length === 1, 'Bob to get it');
    const tablet = await signIn(bob!.id);
    await online(tablet);
    await tablet.ensureHistory(id, 1, 1);
    const [message] = await timeline(bob!.client, id);

    await bob!.client.messages.react(id, message!.seq!, '👍', true);
    for (const client of [alice!.client, bob!.client, tablet]) {
      await waitFor(async () => (await reactions(client, id)).join() === `👍:${bob!.id}`, 'the thumbs up everywhere');
    }

    // Bob's phone goes away; meanwhile Alice adds a heart and Bob's tablet takes his back.
    bob!.client.stop();
    await alice!.client.messages.react(id, message!.seq!, '❤', true);
    await tablet.messages.react(id, message!.seq!, '👍', false);
    const now = [`❤️:${alice!.id}`].join();
    for (const client of [alice!.client, tablet]) {
      await waitFor(async () => (await reactions(client, id)).join() === now, 'the heart alone');
    }
    const phone = await signIn(bob!.id);
    await online(phone);
    await waitFor(async () => (await reactions(phone, id)).join() === now, 'the phone to catch up');

    // No reaction is a message: one row, nothing unread, the list still shows the message.
    expect((await timeline(phone, id)).length).to.equal(1);
    expect(await phone.cache!.totalUnread()).to.equal(0);
    const [row] = await alice!.client.cache!.conversationList();
    expect(row!.preview?.body).to.deep.equal({ type: 'text', text: 'Lunch?' });
    expect(row!.unread).to.equal(0);
  });

  it(`refuses more than ${limits.reactionsPerUserMax} reactions of one person on a message, and text that is not one emoji`, async () => {
    const [alice, bob] = await people('alice', 'bob');
    const id = await alice!.client.startConversation(bob!.id);
    await alice!.client.send(id, 'Vote!');
    await waitFor(async () => (await timeline(alice!.client, id))[0]?.status === 'sent', 'the ack');
    const seq = (await timeline(alice!.client, id))[0]!.seq!;
    for (const emoji of ['🍕', '🍣', '🌮']) await alice!.client.messages.react(id, seq, emoji, true);
    let refused: unknown = null;
    await alice!.client.messages.react(id, seq, '🥗', true).catch((error: unknown) => (refused = error));
    expect(refused).to.include({ code: 'reaction_limit' });
    await alice!.client.messages.react(id, seq, 'yes', true).catch((error: unknown) => (refused = error));
    expect(refused).to.include({ code: 'invalid_payload' });
    expect(await reactions(alice!.client, id)).to.deep.equal([[`🍕:${alice!.id}`, `🍣:${alice!.id}`, `🌮:${alice!.id}`]]);
  });
});
