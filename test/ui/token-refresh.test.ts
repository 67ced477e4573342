import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import type { ImChat } from '../../src/ui/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, mount } from '../support/browser/widget.js';

describe('<im-chat> and expiring tokens', () => {
  afterEach(() => fixtureCleanup());

  it('asks the tokenProvider again when the server ends an expired session, keeping the open chat and the text being written', async () => {
    const bobName = `Bob ${uniqueUser('')}`;
    const bob = await mount(uniqueUser('bob'), bobName);
    const aliceId = uniqueUser('alice');
    const statuses: string[] = [];
    let calls = 0;
    // The first token lives 2 s; the server ends the session then and refuses it when the widget comes back.
    const tokenProvider = () => tokenFor(aliceId, { name: 'Alice', expiresIn: calls++ === 0 ? 2 : 3600 });
    const element = await fixture<ImChat>(html`<im-chat
      server=${await serverUrl()}
      lang="en"
      .tokenProvider=${tokenProvider}
      style="--im-height: 480px"
    ></im-chat>`);
    const alice = new Widget(element);
    await waitFor(() => element.chatClient?.status === 'online', 'the widget to be online');
    element.chatClient!.on('status', (status) => statuses.push(status));

    await alice.startChatWith(bobName);
    await alice.type('written while the token expires');
    await waitFor(() => statuses.includes('offline'), 'the server to end the expired session', 10_000);
    await waitFor(() => element.chatClient?.status === 'online', 'the widget to be back with a new token', 15_000);

    expect(calls).to.be.at.least(2);
    expect(alice.openTitle()).to.equal(bobName);
    expect(alice.composer().value).to.equal('written while the token expires');
    await alice.type('\n');
    await waitFor(() => alice.messageTexts().join() === 'written while the token expires:sent', 'the message to go out');
    await waitFor(() => bob.conversationNames().includes('Alice'), 'Bob to get it');
  });
});
