import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImChat } from '../../src/ui/index.js';
import {
  serverUrl,
  startServer,
  stopServer,
  tokenFor,
  uniqueUser,
  waitFor,
} from '../support/browser/im-server.js';
import { pressChord, setViewport } from '../support/browser/input.js';
import {
  Widget,
  allInShadow,
  alicePlusBob,
  inShadow,
  mount,
  wheelScroll,
} from '../support/browser/widget.js';

describe('<im-chat>', () => {
  afterEach(async () => {
    fixtureCleanup();
    await setViewport(1000, 800);
    await startServer(); // if a test stopped it
  });

  it('is accessible when empty and with a conversation open', async () => {
    const { alice, names } = await alicePlusBob();
    await waitFor(() => inShadow(alice.element, 'im-conversation-list', '.empty'), 'the empty list');
    await expect(alice.element).to.be.accessible();

    await alice.startChatWith(names.bob);
    await alice.send('Hello');
    await waitFor(() => alice.messageTexts().join() === 'Hello:sent', 'the message to be sent');
    await expect(alice.element).to.be.accessible();
  });

  it('lets two people start a chat and talk both ways, live', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('Hi Bob!');

    await waitFor(() => bob.conversationNames().includes(names.alice), 'the conversation in Bob’s list');
    await waitFor(() => bob.unreadBadge(names.alice) === '1', 'one unread message for Bob');
    await bob.openConversation(names.alice);
    await waitFor(() => bob.messageTexts().join() === 'Hi Bob!:sent', 'Bob to see the message');
    await waitFor(() => bob.unreadBadge(names.alice) === null, 'the badge to clear once read');

    await bob.send('Hi Alice');
    await bob.type('line one');
    await pressChord('Shift+Enter');
    await bob.send('line two');
    await waitFor(() => alice.messages().length === 3, 'Alice to get both replies');
    expect(alice.messages().map((m) => [m.text, m.own])).to.deep.equal([
      ['Hi Bob!', true],
      ['Hi Alice', false],
      ['line one\nline two', false],
    ]);
  });

  it('shows the cached conversation at once after a reload, even with the server down', async () => {
    const { alice, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('kept in the cache');
    await waitFor(() => alice.messageTexts().join() === 'kept in the cache:sent', 'the ack');
    const token = alice.element.token;
    const server = alice.element.server;

    await stopServer();
    fixtureCleanup();
    const reloaded = new Widget(
      await fixture<ImChat>(html`<im-chat server=${server} token=${token} lang="en"></im-chat>`),
    );
    await waitFor(() => reloaded.conversationNames().join() === names.bob, 'the cached list');
    await reloaded.openConversation(names.bob);
    await waitFor(() => reloaded.messageTexts().join() === 'kept in the cache:sent', 'cached messages');
    expect(reloaded.element.chatClient?.status).to.not.equal('online');
  });

  it('keeps writing while offline: pending, then delivered once, in order', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('online');
    await waitFor(() => alice.messageTexts().join() === 'online:sent', 'the first ack');

    await stopServer();
    await waitFor(() => alice.statusText().includes('Offline'), 'the offline banner');
    await alice.send('while offline 1');
    await alice.send('while offline 2');
    await waitFor(
      () => alice.messageTexts().join() === 'online:sent,while offline 1:pending,while offline 2:pending',
      'two pending messages',
    );

    await startServer();
    await waitFor(
      () => alice.messageTexts().join() === 'online:sent,while offline 1:sent,while offline 2:sent',
      'the pending messages to go out',
      20_000,
    );
    await bob.openConversation(names.alice);
    await waitFor(() => bob.messages().length === 3, 'Bob to have all three');
    expect(bob.messages().map((m) => m.text)).to.deep.equal(['online', 'while offline 1', 'while offline 2']);
  });

  it('fills the new-chat dialog by itself when it was opened before the connection was up', async () => {
    const bobName = `Bob ${uniqueUser('')}`;
    await mount(uniqueUser('bob'), bobName);
    const server = await serverUrl();
    const token = await tokenFor(uniqueUser('alice'), { name: 'Alice' });
    await stopServer();
    const alice = new Widget(
      await fixture<ImChat>(html`<im-chat server=${server} token=${token} lang="en"></im-chat>`),
    );
    inShadow<HTMLButtonElement>(alice.element, 'button[part="new-chat-button"]')!.click();
    const search = await waitFor(() => inShadow<HTMLInputElement>(alice.element, 'im-user-picker', 'input'), 'the search box');
    search.focus();
    await sendKeys({ type: bobName });
    await waitFor(
      () => inShadow(alice.element, 'im-user-picker', '.note.error')?.textContent?.includes('offline'),
      'the dialog to say it cannot search offline',
    );

    await startServer();
    const bob = await waitFor(
      () => allInShadow(alice.element, 'im-user-picker', 'button.person').find((b) => b.textContent?.trim() === bobName),
      'Bob in the people list once online',
      20_000,
    );
    expect(inShadow(alice.element, 'im-user-picker', '.note.error')).to.equal(null);
    expect(bob).to.exist;
  });

  it('shows a message that finally failed, with retry and delete', async () => {
    const { alice, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('before');
    await waitFor(() => alice.messageTexts().join() === 'before:sent', 'the ack');

    await stopServer();
    await alice.send('lost server');
    await startServer({ fresh: true }); // the server comes back without this conversation

    await waitFor(() => alice.messageTexts().join() === 'lost server:failed', 'the failure', 20_000);
    const list = alice.messageList()!.shadowRoot!;
    expect(list.querySelector('.failure')!.textContent).to.contain('does not exist on the server');
    list.querySelector<HTMLButtonElement>('button.retry')!.click();
    await waitFor(() => alice.messageTexts().join() === 'lost server:failed', 'the retry to fail again');
    list.querySelector<HTMLButtonElement>('button.discard')!.click();
    await waitFor(() => alice.messages().length === 0, 'the message to be deleted');
  });

  it('uses one pane with a back button when narrow, two side by side when wide', async () => {
    const { alice, names } = await alicePlusBob();
    alice.element.style.width = '420px';
    await alice.startChatWith(names.bob);
    const listPane = inShadow(alice.element, '.list-pane')!;
    const back = inShadow(alice.element, 'im-message-pane', 'button.back')!;
    expect(listPane.checkVisibility()).to.equal(false);
    expect(back.checkVisibility()).to.equal(true);

    back.click();
    await waitFor(() => listPane.checkVisibility(), 'the list to come back');
    expect(inShadow(alice.element, 'im-message-pane') === null).to.equal(true);

    alice.element.style.width = '900px';
    await alice.openConversation(names.bob);
    expect(listPane.checkVisibility()).to.equal(true);
    expect(inShadow(alice.element, 'im-message-pane', 'button.back')!.checkVisibility()).to.equal(false);
  });

  it('keeps working after being moved to another place in the page', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    elsewhere.append(alice.element); // disconnects, then connects again
    await waitFor(() => alice.element.chatClient?.status === 'online', 'Alice to be back online');
    await alice.openConversation(names.bob);
    await alice.send('still here');
    await bob.openConversation(names.alice);
    await waitFor(() => bob.messageTexts().join() === 'still here:sent', 'Bob to get the message');
    elsewhere.remove();
  });

  it('tells the page about the session, received messages and unread counts through events', async () => {
    const bobId = uniqueUser('bob');
    const events: string[] = [];
    const record = (event: Event) => {
      const { detail } = event as CustomEvent;
      if (event.type === 'im-ready') events.push(`ready:${detail.user.id === bobId}`);
      if (event.type === 'im-message') events.push(`message:${detail.message.body.text}`);
      if (event.type === 'im-unread-change') events.push(`unread:${detail.unread}`);
    };
    for (const type of ['im-ready', 'im-message', 'im-unread-change']) document.addEventListener(type, record);
    try {
      const bob = await mount(bobId, 'Bob');
      const alice = await mount(uniqueUser('alice'), 'Alice');
      await alice.startChatWith('Bob');
      await alice.send('ping');
      await waitFor(() => events.includes('unread:1'), 'Bob’s unread count to reach the page');
      expect(events.filter((e) => e.startsWith('ready:'))).to.deep.equal(['ready:true', 'ready:false']);
      // The count comes from the cache, which may tell before the message event does.
      await waitFor(() => events.includes('message:ping'), 'the message event');
      await bob.openConversation('Alice');
      await waitFor(() => events.at(-1) === 'unread:0', 'the count to drop once Bob reads');
    } finally {
      for (const type of ['im-ready', 'im-message', 'im-unread-change']) document.removeEventListener(type, record);
    }
  });

  it('says the session ended, and reports im-error, when the server refuses the token', async () => {
    const errors: string[] = [];
    const element = await fixture<ImChat>(html`<im-chat
      server=${await serverUrl()}
      token=${await tokenFor(uniqueUser('late'), { expiresIn: -120 })}
      lang="en"
      @im-error=${(event: CustomEvent<{ code: string }>) => errors.push(event.detail.code)}
    ></im-chat>`);
    const widget = new Widget(element);
    await waitFor(() => widget.statusText().includes('session has ended'), 'the banner');
    expect(errors).to.include('token_expired');
  });

  it('does not send on Enter that confirms an input-method composition', async () => {
    const { alice, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    const composer = alice.composer();
    composer.focus();
    await sendKeys({ type: 'nihao' });
    composer.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, composed: true }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alice.messages()).to.deep.equal([]);
    expect(composer.value).to.equal('nihao');
  });
});

describe('<im-chat> with a long history', () => {
  afterEach(() => fixtureCleanup());
  // The message list is virtualized; see test/ui/message-list.test.ts for long histories.

  it('opens at the newest messages and shows older ones on scrolling up, back to the start', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    const client = alice.element.chatClient!;
    const conversationId = (await client.cache!.conversationList())[0]!.id;
    for (let i = 1; i <= 75; i++) await client.send(conversationId, `message ${i}`);
    await waitFor(async () => (await client.cache!.conversation(conversationId))?.lastSeq === 75, 'all acks', 30_000);

    await bob.openConversation(names.alice);
    await waitFor(() => bob.messages().at(-1)?.text === 'message 75', 'the newest message');
    // Virtualized: WebKit may lay out the whole window once before it measures and trims.
    await waitFor(() => bob.messages().length < 75, 'only the rows in view to be rendered');
    const scroller = bob.messageList()!.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
    expect(scroller.scrollTop + scroller.clientHeight).to.be.closeTo(scroller.scrollHeight, 2);

    // As a reader does: up to the top, again and again. Each older page that loads above keeps
    // the rows in view where they were, so the top has to be reached once more for the next.
    // Older pages come from the server: give a busy machine time.
    await waitFor(
      () => {
        if (scroller.scrollTop > 0) wheelScroll(scroller, 0);
        return bob.messages()[0]?.text === 'message 1';
      },
      'the first message',
      20_000,
    );
    await waitFor(
      () => bob.messageList()!.shadowRoot!.textContent!.includes('This is the start of your conversation.'),
      'the start of the conversation',
      20_000,
    );
  });
});
