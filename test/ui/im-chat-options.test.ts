import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImChat } from '../../src/ui/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, alicePlusBob, inShadow, mount } from '../support/browser/widget.js';

describe('<im-chat> options, theming and keyboard', () => {
  afterEach(() => fixtureCleanup());

  it('speaks Chinese with lang="zh-CN"', async () => {
    const widget = await mount(uniqueUser('li'), '李雷', { lang: 'zh-CN' });
    expect(inShadow(widget.element, 'h2')!.textContent).to.equal('消息');
    expect(inShadow(widget.element, 'button[part="new-chat-button"]')!.getAttribute('aria-label')).to.equal(
      '发起聊天',
    );
  });

  it('follows the page’s language when it has no lang of its own, and a lang set later', async () => {
    document.documentElement.lang = 'zh-CN';
    try {
      const element = await fixture<ImChat>(html`<im-chat
        server=${await serverUrl()}
        token=${await tokenFor(uniqueUser('wang'))}
      ></im-chat>`);
      expect(inShadow(element, 'h2')!.textContent).to.equal('消息');
      element.lang = 'en';
      await element.updateComplete;
      expect(inShadow(element, 'h2')!.textContent).to.equal('Chats');
    } finally {
      document.documentElement.removeAttribute('lang');
    }
  });

  it('takes its colours from --im-* custom properties set by the page', async () => {
    const { alice, names } = await alicePlusBob();
    alice.element.style.setProperty('--im-color-accent', 'rgb(128, 0, 128)');
    await alice.startChatWith(names.bob);
    await alice.send('purple');
    const bubble = await waitFor(
      () => inShadow(alice.element, 'im-message-pane', 'im-message-list', 'li.own .bubble'),
      'an own bubble',
    );
    expect(getComputedStyle(bubble).backgroundColor).to.equal('rgb(128, 0, 128)');
  });

  it('switches to dark colours with theme="dark", and lets the page style its parts', async () => {
    const widget = await mount(uniqueUser('night'), 'Night Owl');
    const light = getComputedStyle(widget.element).backgroundColor;
    widget.element.theme = 'dark';
    await widget.element.updateComplete;
    const dark = getComputedStyle(widget.element).backgroundColor;
    expect(dark).to.not.equal(light);
    expect(luminance(dark)).to.be.below(luminance(light));

    const style = document.createElement('style');
    style.textContent = 'im-chat::part(new-chat-button) { color: rgb(1, 2, 3); }';
    document.head.append(style);
    try {
      const button = inShadow(widget.element, 'button[part="new-chat-button"]')!;
      expect(getComputedStyle(button).color).to.equal('rgb(1, 2, 3)');
    } finally {
      style.remove();
    }
  });

  it('opens the conversation named by the conversation attribute', async () => {
    const { alice, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('opened for you');
    const conversationId = (await alice.element.chatClient!.cache!.conversationList())[0]!.id;
    const token = alice.element.token;
    fixtureCleanup();

    const element = await fixture<ImChat>(html`<im-chat
      server=${await serverUrl()}
      token=${token}
      conversation=${conversationId}
      lang="en"
    ></im-chat>`);
    const widget = new Widget(element);
    await waitFor(() => widget.messageTexts().join() === 'opened for you:sent', 'the conversation to be open');
  });

  it('moves between conversations with the arrow keys and opens one with Enter', async () => {
    const alice = await mount(uniqueUser('alice'), `Alice ${uniqueUser('')}`);
    alice.element.style.width = '900px'; // list and conversation side by side
    const friends = [`Friend A ${uniqueUser('')}`, `Friend B ${uniqueUser('')}`];
    for (const name of friends) await mount(uniqueUser('friend'), name);
    for (const name of friends) {
      await alice.startChatWith(name);
      await alice.send(`hello ${name}`);
      await waitFor(() => alice.messages()[0]?.status === 'sent', 'the message to be sent');
    }
    await waitFor(() => alice.conversationButtons().length === 2, 'two conversations');
    // The most recent first; only one of them takes Tab focus.
    expect(alice.conversationNames().join(' | ')).to.equal(`${friends[1]} | ${friends[0]}`);
    expect(alice.conversationButtons().map((button) => button.tabIndex).join()).to.equal('0,-1');

    alice.conversationButtons()[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    const list = inShadow(alice.element, 'im-conversation-list')!;
    const focused = () => list.shadowRoot!.activeElement?.querySelector('.name')?.textContent;
    expect(focused()).to.equal(friends[0]);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => alice.openTitle() === friends[0], 'the chosen conversation to open');
    // Opening a conversation puts the keyboard in its composer.
    await waitFor(() => alice.composer().matches(':focus'), 'the composer to have focus');
  });
});

function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
