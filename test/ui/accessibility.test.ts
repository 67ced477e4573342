/**
 * axe-core over every state of the widget a person meets, inside a host page that has
 * its own banner, `<main>` and `<h1>`: at desktop and phone widths, light and dark. Any
 * finding, whatever its impact, fails the test and is printed readably.
 */
import 'axe-core/axe.min.js';
import type { AxeResults, Result } from 'axe-core';
import { fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImChat } from '../../src/ui/index.js';
import { ChatClient, VisitorIdentity } from '../../src/client/index.js';
import { online, signIn, stopAllClients, track } from '../support/browser/chat-clients.js';
import { adminApi, serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { imageFile } from '../support/browser/images.js';
import { setViewport } from '../support/browser/input.js';
import { SupportWidget, caseOf, startAgent } from '../support/browser/support-widget.js';
import { Widget, allInShadow, inShadow, messageButton } from '../support/browser/widget.js';

declare global {
  interface Window {
    axe: { run(context: Node, options: object): Promise<AxeResults> };
  }
}

const variants = [
  { width: 1200, height: 800, theme: 'light' },
  { width: 1200, height: 800, theme: 'dark' },
  { width: 390, height: 760, theme: 'light' },
  { width: 390, height: 760, theme: 'dark' },
] as const;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** One finding per line group: rule, impact, what to do, and where (through shadow roots). */
function describeFindings(violations: Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `    at ${JSON.stringify(node.target)}\n      ${node.failureSummary?.replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `  ${violation.id} (${violation.impact}): ${violation.help}\n${nodes}`;
    })
    .join('\n');
}

/** The host page: a shop with its own header, h1 and main, the widget inside its main. */
async function hostPage(widget: ReturnType<typeof html>): Promise<ImChat> {
  const page = await fixture<HTMLElement>(html`<div>
    <header><h1>Aurora lamps</h1><p>Light for every desk</p></header>
    <main>
      <h2>Messages</h2>
      ${widget}
    </main>
  </div>`);
  return page.querySelector('im-chat') as ImChat;
}

/** Runs axe in every variant, on the whole page as a person meets it. */
async function expectNoFindings(element: ImChat, state: string, settle?: () => Promise<unknown>): Promise<void> {
  const failures: string[] = [];
  for (const variant of variants) {
    await setViewport(variant.width, variant.height);
    element.setAttribute('theme', variant.theme);
    await nextFrame();
    await nextFrame();
    await settle?.();
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    if (results.violations.length > 0) {
      failures.push(`${state}, ${variant.width}px, ${variant.theme}:\n${describeFindings(results.violations)}`);
    }
  }
  if (failures.length > 0) throw new Error(`axe findings:\n${failures.join('\n')}`);
}

async function signedIn(userId: string, name: string, attributes: { mode?: string } = {}): Promise<ImChat> {
  const element = await hostPage(html`<im-chat
    server=${await serverUrl()}
    token=${await tokenFor(userId, { name })}
    mode=${attributes.mode ?? 'messenger'}
    lang="en"
    style="--im-height: 600px"
  ></im-chat>`);
  await waitFor(() => element.chatClient?.status === 'online', `${name} online`, 15_000);
  return element;
}

/**
 * Alice's widget with a chat with Bob: messages both ways, a reply, an image and a file,
 * one of hers read by Bob and the newest only delivered.
 */
async function conversationScene() {
  const aliceId = uniqueUser('alice');
  const bobId = uniqueUser('bob');
  const bob = await signIn(bobId, { token: await tokenFor(bobId, { name: 'Bob' }) });
  await online(bob);
  const element = await signedIn(aliceId, 'Alice');
  const alice = element.chatClient!;
  const conversationId = await alice.startConversation(bobId);
  await alice.send(conversationId, 'Is the Aurora lamp dimmable?');
  const question = await waitFor(async () => (await bob.cache?.timeline(conversationId, 1))?.find((entry) => entry.seq !== null), 'Bob to get it');
  await bob.send(conversationId, 'Yes, in five steps.', {}, { replyTo: { seq: question.seq!, senderId: aliceId, type: 'text', excerpt: 'Is the Aurora lamp dimmable?' } });
  await bob.files.sendFile(conversationId, await imageFile('lamp.png', 40, 30));
  await bob.files.sendFile(conversationId, new File(['specifications'], 'aurora-specs.txt', { type: 'text/plain' }));
  await waitFor(async () => ((await alice.cache?.timeline(conversationId, 1)) ?? []).length >= 4, 'Alice to get the answers');
  element.openConversation(conversationId);
  await bob.markRead(conversationId);
  await alice.send(conversationId, 'Great, thanks!');
  const widget = new Widget(element);
  const rows = () => allInShadow(widget.messageList()!, 'li.message');
  await waitFor(() => rows().length >= 5 && rows().every((row) => row.dataset['status'] === 'sent'), 'the messages shown');
  await waitFor(() => allInShadow(widget.messageList()!, 'im-attachment').length >= 2, 'the attachments');
  return { element, widget, conversationId, alice, bob };
}

describe('accessibility (axe)', function () {
  this.timeout(120_000);

  // A host page declares its language and has a title.
  let title = '';
  before(() => {
    title = document.title;
    document.title = 'Aurora lamps';
    document.documentElement.setAttribute('lang', 'en');
  });
  after(() => {
    document.title = title;
    document.documentElement.removeAttribute('lang');
  });

  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    // The support widget's visitor is remembered for the page's origin, and the next test
    // file that signs someone in on this origin would take over that visitor's conversation.
    localStorage.clear();
    sessionStorage.clear();
    history.replaceState(null, '', location.pathname);
    await setViewport(800, 600);
  });

  it('has no findings in the messenger list', async () => {
    const element = await signedIn(uniqueUser('alice'), 'Alice');
    const bobId = uniqueUser('bob');
    await adminApi('PUT', `/users/${bobId}`, { name: 'Bob' });
    const conversationId = await element.chatClient!.startConversation(bobId);
    await element.chatClient!.send(conversationId, 'Hello Bob');
    await waitFor(() => new Widget(element).conversationButtons().length === 1, 'the conversation in the list');
    await expectNoFindings(element, 'messenger list');
  });

  it('has no findings in an open conversation, its message menu and its emoji picker', async () => {
    const { element, widget } = await conversationScene();
    await expectNoFindings(element, 'open conversation');

    const list = widget.messageList()!;
    (await messageButton(list.shadowRoot!.querySelector<HTMLElement>('li.message.other')!, 'more')).click();
    await waitFor(() => allInShadow(list, 'im-menu', '[role="menuitem"]').length > 0, 'the message menu');
    await expectNoFindings(element, 'message menu');
    await sendKeys({ press: 'Escape' });

    inShadow<HTMLButtonElement>(element, 'im-message-pane', 'im-composer', 'button.emoji')!.click();
    const picker = await waitFor(() => inShadow(element, 'im-message-pane', 'im-composer', 'im-emoji-picker'), 'the picker');
    // The first tab may be "Recently used", with a few emoji only.
    await waitFor(() => allInShadow(picker, '.grid button').length > 0, 'the emoji', 20_000);
    await expectNoFindings(element, 'emoji picker');
  });

  it('has no findings in the search and new-chat dialogs', async () => {
    const { element } = await conversationScene();
    inShadow<HTMLButtonElement>(element, 'button[part="search-button"]')!.click();
    await waitFor(() => inShadow(element, 'im-search', 'dialog[open]'), 'the search dialog');
    const search = inShadow<HTMLInputElement>(element, 'im-search', 'input[type="search"]')!;
    search.focus();
    await sendKeys({ type: 'lamp' });
    await waitFor(() => allInShadow(element, 'im-search', 'li').length > 0, 'search results');
    await expectNoFindings(element, 'search dialog');
    await sendKeys({ press: 'Escape' });

    inShadow<HTMLButtonElement>(element, 'button[part="new-chat-button"]')!.click();
    await waitFor(() => inShadow(element, 'im-user-picker', 'dialog[open]'), 'the new-chat dialog');
    await expectNoFindings(element, 'new-chat dialog');
  });

  it('has no findings in the group panel and the join card', async () => {
    const element = await signedIn(uniqueUser('alice'), 'Alice');
    const id = await element.chatClient!.groups.create({ name: 'Book club', memberIds: [] });
    const { code } = await element.chatClient!.groups.createInvite(id);
    element.openConversation(id);
    const info = await waitFor(() => inShadow<HTMLButtonElement>(element, 'im-message-pane', 'button.info'), 'the group info button');
    info.click();
    await waitFor(() => inShadow(element, 'im-message-pane', 'im-group-panel', 'dialog[open]'), 'the group panel');
    await expectNoFindings(element, 'group panel');
    fixtureCleanup();

    history.replaceState(null, '', `${location.pathname}?im-join=${code}`);
    const dave = await signedIn(uniqueUser('dave'), 'Dave');
    const card = await waitFor(() => inShadow(dave, 'im-join-card'), 'the join card');
    await waitFor(() => card.shadowRoot!.querySelector('.name')?.textContent === 'Book club', 'the group preview');
    await expectNoFindings(dave, 'join card');
  });

  it('has no findings in the support widget, closed and open', async () => {
    localStorage.clear();
    sessionStorage.clear();
    const agent = await startAgent('Ana');
    const support = new SupportWidget(await hostPage(html`<im-chat mode="support" server=${await serverUrl()} lang="en"></im-chat>`));
    await waitFor(() => support.launcher(), 'the launcher');
    await expectNoFindings(support.element, 'support bubble (closed)');
    await support.ask('Does it ship to Norway?');
    await expectNoFindings(support.element, 'support panel (open)');
    // Other files' agents start with an empty inbox.
    await agent.client.support.resolve((await caseOf(agent.client, support.element.chatClient!.user!.id)).id);
  });

  it('has no findings in the agent desk', async () => {
    const agentId = uniqueUser('ana');
    await adminApi('PUT', `/users/${agentId}`, { name: 'Ana', roles: ['agent'] });
    const element = await signedIn(agentId, 'Ana', { mode: 'agent' });
    await waitFor(() => inShadow(element, 'im-agent-desk', 'im-conversation-list'), 'the inbox');
    await expectNoFindings(element, 'agent desk');

    // A visitor asks; Ana, the one agent online, gets the case and opens it.
    const server = await serverUrl();
    const identity = new VisitorIdentity({ server, storage: sessionStorage });
    identity.forget();
    const { visitorId } = await identity.ensure();
    const visitor = track(new ChatClient({ server, tokenProvider: identity.tokenProvider, expectedUserId: visitorId }));
    await visitor.start();
    await online(visitor, 'the visitor online');
    const conversation = await visitor.support.start({ page: { url: 'https://shop.example/lamps/aurora', title: 'Aurora lamp' } });
    await visitor.send(conversation.id, 'Is the lamp dimmable?');
    const row = await waitFor(
      () => allInShadow<HTMLButtonElement>(inShadow(element, 'im-agent-desk')!, 'im-conversation-list', 'button.item')[0],
      'the case in the inbox',
    );
    row.click();
    await waitFor(() => inShadow(element, 'im-agent-desk', 'im-message-pane', 'im-message-list'), 'the case open');
    await waitFor(() => inShadow(element, 'im-agent-desk', 'im-support-case')?.shadowRoot?.querySelector('a'), 'the customer’s page');
    await expectNoFindings(element, 'agent desk with a case open');
    await element.chatClient!.support.resolve(conversation.id);
  });
});
