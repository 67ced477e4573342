/**
 * Drives an <im-chat> the way a person does: through what is rendered in its shadow
 * DOM, with real key presses.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/ui/index.js';
import type { ImChat } from '../../../src/ui/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from './im-server.js';
import { hover, screenshot, setViewport } from './input.js';

/** Follows a path of selectors, each inside the previous element's shadow root. */
export function inShadow<T extends Element = HTMLElement>(host: Element, ...path: string[]): T | null {
  let current: Element | null = host;
  for (const selector of path) {
    current = current?.shadowRoot?.querySelector(selector) ?? null;
  }
  return current as T | null;
}

export function allInShadow<T extends Element = HTMLElement>(host: Element, ...path: string[]): T[] {
  const last = path.at(-1)!;
  const parent = inShadow(host, ...path.slice(0, -1));
  return [...(parent?.shadowRoot?.querySelectorAll<T>(last) ?? [])];
}

export interface RenderedMessage {
  text: string;
  status: string;
  own: boolean;
}

export class Widget {
  constructor(readonly element: ImChat) {}

  conversationButtons(): HTMLButtonElement[] {
    return allInShadow<HTMLButtonElement>(this.element, 'im-conversation-list', 'button.item');
  }

  conversationNames(): string[] {
    return this.conversationButtons().map((button) => button.querySelector('.name')!.textContent!.trim());
  }

  unreadBadge(name: string): string | null {
    const button = this.conversationButtons().find((b) => b.querySelector('.name')?.textContent?.trim() === name);
    return button?.querySelector('.badge')?.textContent?.trim() ?? null;
  }

  async openConversation(name: string): Promise<void> {
    const button = await waitFor(
      () => this.conversationButtons().find((b) => b.querySelector('.name')?.textContent?.trim() === name),
      `a conversation with ${name} in the list`,
    );
    button.click();
    await this.#waitForOpen(name);
  }

  /** The open conversation's title: the other person's name. */
  openTitle(): string | null {
    return inShadow(this.element, 'im-message-pane', 'h2')?.textContent ?? null;
  }

  async #waitForOpen(name: string): Promise<void> {
    await waitFor(() => this.openTitle() === name && this.messageList(), `the chat with ${name} to open`);
  }

  /** New chat: searches the person by name (as one does among many people) and picks them. */
  async startChatWith(name: string): Promise<void> {
    inShadow<HTMLButtonElement>(this.element, 'button[part="new-chat-button"]')!.click();
    const search = await waitFor(() => inShadow<HTMLInputElement>(this.element, 'im-user-picker', 'input'), 'the search box');
    search.focus();
    await sendKeys({ type: name });
    const person = await waitFor(
      () =>
        allInShadow<HTMLButtonElement>(this.element, 'im-user-picker', 'button.person').find(
          (button) => button.textContent?.trim() === name,
        ),
      `${name} in the people list`,
    );
    person.click();
    await this.#waitForOpen(name);
  }

  messageList(): HTMLElement | null {
    return inShadow(this.element, 'im-message-pane', 'im-message-list');
  }

  messages(): RenderedMessage[] {
    const list = this.messageList();
    return [...(list?.shadowRoot?.querySelectorAll<HTMLElement>('li.message') ?? [])].map((item) => ({
      text: item.querySelector('.text')!.textContent!,
      status: item.dataset.status!,
      own: item.classList.contains('own'),
    }));
  }

  messageTexts(): string[] {
    return this.messages().map((message) => `${message.text}:${message.status}`);
  }

  composer(): HTMLTextAreaElement {
    return inShadow<HTMLTextAreaElement>(this.element, 'im-message-pane', 'im-composer', 'textarea')!;
  }

  /**
   * Uses one of the composer's secondary tools as a person would: its own button, or, where
   * the composer is narrow, More and then the tool's item.
   */
  async composerTool(tool: 'share-contact' | 'format'): Promise<void> {
    const composer = inShadow(this.element, 'im-message-pane', 'im-composer')!;
    const part = tool === 'format' ? 'format-button' : 'share-contact-button';
    const direct = composer.shadowRoot!.querySelector<HTMLButtonElement>(`button[part="${part}"]`);
    if (direct) return direct.click();
    composer.shadowRoot!.querySelector<HTMLButtonElement>('button[part="more-button"]')!.click();
    (await waitFor(() => inShadow<HTMLButtonElement>(composer, 'im-menu', `button[data-id="${tool}"]`), 'the More menu')).click();
  }

  /** Types into the composer with real key presses; `\n` presses Enter. */
  async type(text: string): Promise<void> {
    this.composer().focus();
    const lines = text.split('\n');
    for (const [index, line] of lines.entries()) {
      if (line) await sendKeys({ type: line });
      if (index < lines.length - 1) await sendKeys({ press: 'Enter' });
    }
  }

  /** Writes a message and presses Enter. */
  async send(text: string): Promise<void> {
    await this.type(`${text}\n`);
  }

  statusText(): string {
    return inShadow(this.element, 'im-connection-status')?.shadowRoot?.textContent?.trim() ?? '';
  }
}

/** An <im-chat> signed in as `userId`, once it is online. */
export async function mount(userId: string, name: string, attributes: { lang?: string; server?: string } = {}): Promise<Widget> {
  const element = await fixture<ImChat>(html`<im-chat
    server=${attributes.server ?? (await serverUrl())}
    token=${await tokenFor(userId, { name })}
    lang=${attributes.lang ?? 'en'}
    style="--im-height: 480px"
  ></im-chat>`);
  await waitFor(() => element.chatClient?.status === 'online', `${name}'s widget to be online`, 15_000);
  return new Widget(element);
}

/** Two people on one page, both online once, so they can find each other; `aliceServer` may put Alice behind a relay. */
export async function alicePlusBob(options: { aliceServer?: string } = {}) {
  const names = { alice: `Alice ${uniqueUser('')}`, bob: `Bob ${uniqueUser('')}` };
  const bob = await mount(uniqueUser('bob'), names.bob);
  const alice = await mount(uniqueUser('alice'), names.alice, { server: options.aliceServer });
  return { alice, bob, names };
}

/**
 * For every test file that drives a widget (root hooks, registered as this module loads):
 * the message list's virtualizer may resize within a frame when messages arrive, and
 * Chromium reports that harmless loop as an uncaught error.
 */
function tolerateResizeObserverLoops(): void {
  let reportError: OnErrorEventHandler;
  before(() => {
    reportError = window.onerror;
    window.onerror = (message, ...rest) =>
      String(message).includes('ResizeObserver loop') ? true : reportError?.call(window, message, ...rest);
  });
  after(() => {
    window.onerror = reportError;
  });
}

tolerateResizeObserverLoops();

/**
 * Scrolls a list as with the mouse wheel: a wheel event, then the scroll it makes. The
 * message list tells the user's scrolling (which stops it following new messages) from
 * its own by such input.
 */
export function wheelScroll(scroller: HTMLElement, top: number): void {
  scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: top - scroller.scrollTop, bubbles: true }));
  scroller.scrollTop = top;
}

/**
 * A message's "Add reaction" (`react`) or actions (`more`) button, as a person with a mouse
 * reaches it: by pointing at the message, which brings its buttons.
 */
export async function messageButton(row: HTMLElement, which: 'react' | 'more'): Promise<HTMLButtonElement> {
  await hover(row);
  return waitFor(() => row.querySelector<HTMLButtonElement>(`button.${which}`), `the ${which} button of the message under the mouse`);
}

/** A viewport to take a screenshot at, and the name it adds to the file's. */
export interface ShotSize {
  width: number;
  height: number;
  name: string;
}

/**
 * Screenshots of `widget` alone in the viewport (the `others` hidden meanwhile), as its user
 * sees it, filling the viewport's height, at each size: `<name>-<size>`.
 */
export async function screenshotAlone(widget: Widget, others: Widget[], name: string, sizes: ShotSize[]): Promise<void> {
  for (const other of others) other.element.style.display = 'none';
  const height = widget.element.style.getPropertyValue('--im-height');
  try {
    for (const size of sizes) {
      await setViewport(size.width, size.height);
      widget.element.style.setProperty('--im-height', `${size.height}px`);
      widget.element.scrollIntoView();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await screenshot(`${name}-${size.name}`);
    }
  } finally {
    widget.element.style.setProperty('--im-height', height);
    for (const other of others) other.element.style.display = '';
    await setViewport(1280, 800);
  }
}
