import { expect, fixtureCleanup } from '@open-wc/testing';
import { adminApi, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { allInShadow, mount } from '../support/browser/widget.js';

describe('<im-chat> and messages from the host\'s backend', () => {
  afterEach(() => fixtureCleanup());

  it('marks a bot\'s messages, and shows a message removed by moderation as removed', async () => {
    const bobId = uniqueUser('bob');
    const bob = await mount(bobId, 'Bob');
    const botId = uniqueUser('shop-bot');
    expect((await adminApi('PUT', `/users/${botId}`, { name: 'Shop updates', bot: true })).status).to.equal(200);
    const chat = await adminApi('POST', '/single-conversations', { userIds: [botId, bobId] });
    const conversationId: string = chat.body.conversation.id;
    const sent = await adminApi('POST', `/conversations/${conversationId}/messages`, {
      senderId: botId,
      body: { type: 'text', text: 'Order 1234 has shipped' },
    });
    expect(sent.status).to.equal(201);

    await bob.openConversation('Shop updates');
    await waitFor(() => bob.messages().some((message) => message.text === 'Order 1234 has shipped'), 'the bot message');
    const badge = () => allInShadow(bob.element, 'im-message-pane', 'im-message-list', '.meta .bot').map((node) => node.textContent);
    await waitFor(() => badge().length === 1, 'the bot badge');
    expect(badge()).to.deep.equal(['Bot']);

    await adminApi('DELETE', `/conversations/${conversationId}/messages/${sent.body.message.seq}`);
    await waitFor(() => bob.messages().some((message) => message.text === 'A message was removed'), 'the removal');
    expect(bob.messages().map((message) => message.text)).to.not.include('Order 1234 has shipped');
  });

  it('says so when the host blocks the user, and comes back once unblocked', async () => {
    const userId = uniqueUser('carol');
    const carol = await mount(userId, 'Carol');
    await adminApi('POST', `/users/${userId}/block`);
    await waitFor(() => carol.statusText() === 'Your account is blocked.', 'the blocked notice', 15_000);
    expect(carol.element.chatClient?.status).to.equal('unauthorized');
    await adminApi('POST', `/users/${userId}/unblock`);
    carol.element.chatClient!.setToken(await tokenFor(userId, { name: 'Carol' }));
    await waitFor(() => carol.element.chatClient?.status === 'online', 'the widget to be online again', 15_000);
  });
});
