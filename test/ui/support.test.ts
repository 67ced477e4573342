import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LitElement } from 'lit';
import type { ChatClient } from '../../src/client/index.js';
import type { Message } from '../../src/protocol/index.js';
import type { ImChat } from '../../src/ui/index.js';
import { stopAllClients } from '../support/browser/chat-clients.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { SupportWidget, caseOf, mountSupport, startAgent } from '../support/browser/support-widget.js';
import { Widget, inShadow, mount } from '../support/browser/widget.js';

/** The text a message carries, for waiting on one. */
const textOf = (message: Message) => (message.body.type === 'text' ? message.body.text : null);

/** Resolves with the first message a client hears that matches. */
function heard(client: ChatClient, matches: (message: Message) => boolean): Promise<Message> {
  return new Promise((resolve) => {
    const stop = client.on('message', (message) => {
      if (!matches(message)) return;
      stop();
      resolve(message);
    });
  });
}

async function answer(agent: ChatClient, conversationId: string, text: string): Promise<void> {
  await agent.send(conversationId, text);
}

/** The element in focus, through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('<im-chat mode="support">', () => {
  beforeEach(() => {
    // Each test is a new visitor: nothing of the last one in this browser.
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    fixtureCleanup();
    stopAllClients();
  });

  it('opens from the keyboard, is accessible, and closes with Escape back to the launcher', async () => {
    const events: string[] = [];
    const widget = await mountSupport();
    widget.element.addEventListener('im-open', () => events.push('open'));
    widget.element.addEventListener('im-close', () => events.push('close'));
    expect(widget.launcher().getAttribute('aria-label')).to.equal('Open chat');
    expect(widget.launcher().getAttribute('aria-expanded')).to.equal('false');
    expect(localStorage.length, 'no storage before the visitor acts').to.equal(0);
    await expect(widget.element).to.be.accessible();

    widget.launcher().focus();
    await sendKeys({ press: 'Enter' });
    const composer = await waitFor(() => widget.composer(), 'the composer', 15_000);
    await waitFor(() => deepActiveElement() === composer, 'the keyboard in the composer');
    expect(widget.element.hasAttribute('open')).to.equal(true);
    expect(widget.launcher().getAttribute('aria-expanded')).to.equal('true');
    await expect(widget.element).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await waitFor(() => !widget.isOpen(), 'the panel to close');
    await waitFor(() => deepActiveElement() === widget.launcher(), 'the focus back on the launcher');
    expect(widget.element.hasAttribute('open')).to.equal(false);
    expect(events).to.deep.equal(['open', 'close']);
  });

  it('greets a visitor in an empty conversation without also saying it is empty', async () => {
    const widget = await mountSupport();
    await widget.openAndWaitForComposer();
    const pane = inShadow(widget.element, 'im-support-widget', 'im-message-pane')!;
    const greeting = await waitFor(() => pane.querySelector('.greeting'), 'the greeting');
    expect(greeting.textContent!.trim()).to.not.equal('');
    const list = await waitFor(() => inShadow(pane, 'im-message-list'), 'the message list');
    // The list has read the (empty) conversation from the cache and drawn it.
    await waitFor(() => list.shadowRoot?.querySelector('.log'), 'the timeline');
    for (let frame = 0; frame < 5; frame++) await new Promise(requestAnimationFrame);
    await (list as LitElement).updateComplete;
    expect(list.shadowRoot!.querySelector('.note.empty')?.textContent ?? null).to.equal(null);
  });

  it('brings a question and its page to the agent, and the answer back with who gave it', async () => {
    const sam = await startAgent('Sam');
    const widget = await mountSupport({ context: '{"productId": "aurora-lamp", "price": 89}' });
    const arrived = heard(sam.client, (message) => textOf(message) === 'Is it dimmable?');
    await widget.ask('Is it dimmable?');
    const question = await arrived;
    const visitorId = question.senderId;
    const supportCase = await caseOf(sam.client, visitorId);
    expect(supportCase.case).to.include({ status: 'open' });
    expect(supportCase.case!.context).to.deep.equal({ productId: 'aurora-lamp', price: 89 });
    expect(supportCase.case!.page!.url).to.equal(location.href);
    await waitFor(async () => (await caseOf(sam.client, visitorId)).assigneeId === sam.id, 'routing to Sam');

    await answer(sam.client, supportCase.id, 'Yes, from 5% to 100%.');
    await waitFor(() => widget.entries().includes('Yes, from 5% to 100%.:theirs'), 'the answer in the panel');
    expect(widget.entries()).to.include('[Sam joined the conversation]');
    await waitFor(() => widget.subtitle() === 'Sam is here to help', 'who answers, in the header');

    // The host says the visitor moved on to another product.
    widget.element.setContext({ productId: 'fjord-chair', price: 349 });
    await waitFor(
      async () => (await caseOf(sam.client, visitorId)).case?.context?.['productId'] === 'fjord-chair',
      'the new context for the agent',
    );
  });

  it('shows typing and read marks both ways between the visitor and the agent', async () => {
    const sam = await startAgent('Sam');
    const widget = await mountSupport();
    const arrived = heard(sam.client, (message) => textOf(message) === 'Hello there');
    await widget.ask('Hello there');
    const { conversationId, senderId: visitorId } = await arrived;
    const mark = () =>
      inShadow(widget.element, 'im-support-widget', 'im-message-pane', 'im-message-list')
        ?.shadowRoot?.querySelector('li.own .state')
        ?.getAttribute('aria-label');
    await waitFor(() => mark() === 'Delivered', 'delivered to the agent’s device');
    await sam.client.markRead(conversationId);
    await waitFor(() => mark() === 'Read', 'read by the agent');

    sam.client.conversations.typing(conversationId);
    const typing = () => inShadow(widget.element, 'im-support-widget', 'im-message-pane', '.subtitle.typing')?.textContent?.trim();
    await waitFor(() => typing() === 'Sam is typing…', 'the agent typing, in the visitor’s panel');
    const visitorTyping = new Promise<string[]>((resolve) => {
      const stop = sam.client.conversations.on('typing', ({ userIds }) => {
        if (userIds.includes(visitorId)) {
          stop();
          resolve(userIds);
        }
      });
    });
    widget.composer()!.focus();
    await sendKeys({ type: 'One more' });
    expect(await visitorTyping).to.include(visitorId);
  });

  it('counts answers on the launcher while closed, and keeps the conversation for the next page', async () => {
    const sam = await startAgent('Sam');
    let widget = await mountSupport();
    const arrived = heard(sam.client, (message) => textOf(message) === 'Hello?');
    await widget.ask('Hello?');
    const { conversationId } = await arrived;
    widget.launcher().click();
    await waitFor(() => !widget.isOpen(), 'the panel to close');
    await answer(sam.client, conversationId, 'Hi! How can I help?');
    await waitFor(() => widget.badge() === '1', 'one unread answer on the launcher');
    expect(widget.launcher().getAttribute('aria-label')).to.equal('Open chat (1 new answer)');

    // The visitor opens the panel, then goes to another page of the site.
    widget.launcher().click();
    await waitFor(() => widget.entries().includes('Hi! How can I help?:theirs'), 'the answer');
    fixtureCleanup();
    widget = await mountSupport();
    expect(widget.element.hasAttribute('open'), 'still open on the next page').to.equal(true);
    await waitFor(() => widget.entries().includes('Hello?:own'), 'the same conversation, from the cache');
    expect(widget.entries()).to.include('Hi! How can I help?:theirs');
  });

  it('asks the pre-chat questions, says what is wrong, and starts once they are right', async () => {
    const sam = await startAgent('Sam');
    const widget = await mountSupport({ prechatName: 'required', prechatEmail: 'optional' });
    widget.launcher().click();
    const form = await waitFor(() => widget.form(), 'the pre-chat form', 15_000);
    expect(widget.composer()).to.equal(null);
    await expect(widget.element).to.be.accessible();

    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => widget.formErrors().length > 0, 'an error');
    expect(widget.formErrors()).to.deep.equal(['Please tell us your name.']);
    const name = form.querySelector<HTMLInputElement>('input[name="name"]')!;
    const email = form.querySelector<HTMLInputElement>('input[name="email"]')!;
    expect(deepActiveElement()).to.equal(name);
    expect(name.getAttribute('aria-invalid')).to.equal('true');

    name.value = 'Jane';
    email.value = 'jane-at-example';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => widget.formErrors()[0]?.includes('e-mail'), 'the e-mail error');
    expect(widget.composer(), 'nothing started').to.equal(null);

    email.value = 'jane@example.com';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitFor(() => widget.composer(), 'the conversation once the form is right');
    const arrived = heard(sam.client, (message) => textOf(message) === 'Hi, Jane here');
    await widget.ask('Hi, Jane here');
    const { senderId } = await arrived;
    const supportCase = await caseOf(sam.client, senderId);
    expect(supportCase.case!.email).to.equal('jane@example.com');
    expect((await sam.client.cache!.user(senderId))?.name).to.equal('Jane');
  });

  it('hands the visitor’s conversation to the user the host signs in, and forgets it all on logout', async () => {
    const sam = await startAgent('Sam');
    const widget = await mountSupport();
    const arrived = heard(sam.client, (message) => textOf(message) === 'Where is my order?');
    await widget.ask('Where is my order?');
    const { conversationId, senderId: visitorId } = await arrived;
    await answer(sam.client, conversationId, 'Please sign in so I can look.');
    await waitFor(() => widget.entries().includes('Please sign in so I can look.:theirs'), 'the answer');

    const carol = uniqueUser('carol');
    widget.element.setUser(await tokenFor(carol, { name: 'Carol' }));
    await waitFor(() => widget.element.chatClient?.user?.id === carol, 'Carol signed in');
    await waitFor(() => widget.entries().some((entry) => entry.includes('signed in as')), 'the hand-over in the timeline');
    // What she wrote as a visitor is hers; the agent's answer is still there.
    await waitFor(() => widget.entries().includes('Where is my order?:own'), 'her question, as her own');
    expect(widget.entries()).to.include('Please sign in so I can look.:theirs');
    await waitFor(async () => (await caseOf(sam.client, carol)).id === conversationId, 'the case now Carol’s');
    expect(localStorage.getItem(`im-chat:visitor:${new URL(await serverUrl()).origin}`)).to.equal(null);

    await widget.ask('Signed in now');
    await widget.element.logout();
    expect(widget.isOpen()).to.equal(false);
    await widget.openAndWaitForComposer();
    await waitFor(() => widget.element.chatClient?.user, 'a new visitor');
    expect(widget.element.chatClient!.user!.id).to.not.equal(visitorId);
    expect(widget.element.chatClient!.user!.id).to.not.equal(carol);
    expect(widget.entries().filter((entry) => !entry.startsWith('['))).to.deep.equal([]);
  });

  it('keeps a message written while nobody answers, says so, and shows the answer on the next visit', async () => {
    const widget = await mountSupport();
    // The agents of the tests before have gone, but the server may hear of it after this
    // panel opens: the visitor writes once the panel says that nobody is there.
    await widget.openAndWaitForComposer();
    await waitFor(() => widget.subtitle() === 'We will reply as soon as we can', 'nobody there, in the panel');
    await widget.ask('Do you ship to Norway?');
    await waitFor(() => widget.entries().some((entry) => entry.startsWith('[Nobody can answer right now')), 'the away notice');
    widget.launcher().click();
    fixtureCleanup(); // the visitor closes the panel and leaves

    const kim = await startAgent('Kim');
    const visitorId = await waitFor(async () => {
      const all = (await kim.client.cache?.allConversations()) ?? [];
      const waiting = all.find((c) => c.type === 'support' && c.case?.status === 'open' && c.assigneeId === null && c.lastSeq > 0);
      return waiting?.type === 'support' ? waiting.case?.customerId : undefined;
    }, 'the waiting question in Kim’s inbox', 15_000);
    const supportCase = await caseOf(kim.client, visitorId);
    await kim.client.support.assign(supportCase.id, kim.id);
    await answer(kim.client, supportCase.id, 'We do, in about a week.');

    const back = await mountSupport();
    await waitFor(() => back.badge() === '1', 'the answer waiting on the launcher', 15_000);
    back.launcher().click();
    await waitFor(() => back.entries().includes('We do, in about a week.:theirs'), 'the answer');
  });

  it('lives beside a messenger on the same page without either noticing the other', async () => {
    const messengerUser = uniqueUser('dora');
    const page = await fixture<HTMLDivElement>(html`<div>
      <im-chat id="messenger" server=${await serverUrl()} token=${await tokenFor(messengerUser, { name: 'Dora' })} lang="en"></im-chat>
      <im-chat id="support" mode="support" server=${await serverUrl()} lang="en"></im-chat>
    </div>`);
    const messenger = new Widget(page.querySelector<ImChat>('#messenger')!);
    const support = new SupportWidget(page.querySelector<ImChat>('#support')!);
    await waitFor(() => messenger.element.chatClient?.status === 'online', 'the messenger online', 15_000);
    await support.ask('Two widgets, one page');
    expect(support.element.chatClient!.user!.id).to.not.equal(messengerUser);
    expect(messenger.element.chatClient!.user!.id).to.equal(messengerUser);
    expect(messenger.conversationNames()).to.deep.equal([]);
    expect(inShadow(messenger.element, 'im-support-widget')).to.equal(null);
  });

  it('opens no support conversation for a messenger on a page where the bubble was left open', async () => {
    // The visitor left the panel open: the tab remembers it for the bubble on the next page.
    const support = await mountSupport();
    await support.ask('Is the panel remembered?');
    fixtureCleanup();
    // The next page has a messenger instead, signed in as someone else.
    const messenger = await mount(uniqueUser('erin'), 'Erin');
    await waitFor(() => messenger.element.chatClient?.status === 'online', 'the messenger online', 15_000);
    // Long enough for a support conversation to have been opened and synced, had one been.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await messenger.element.chatClient!.cache!.conversationList()).to.deep.equal([]);
    expect(messenger.conversationNames()).to.deep.equal([]);
    expect(messenger.element.hasAttribute('open')).to.equal(false);
  });
});
