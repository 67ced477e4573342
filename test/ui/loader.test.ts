import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatClient } from '../../src/client/index.js';
import type { Message } from '../../src/protocol/index.js';
import type { ImChat } from '../../src/ui/index.js';
import { stopAllClients } from '../support/browser/chat-clients.js';
import { serverUrl, waitFor } from '../support/browser/im-server.js';
import { SupportWidget, startAgent } from '../support/browser/support-widget.js';
import { inShadow } from '../support/browser/widget.js';

/** `window.imChat` as the loader defines it, or the stub a page defines before it. */
interface ImChatGlobal {
  q?: [string, unknown[]][];
  open(): void;
  close(): void;
  on(type: string, listener: EventListener): void;
  off(type: string, listener: EventListener): void;
  isOpen(): boolean;
  unreadCount(): number;
  setLocale(lang: string): void;
  hideLauncher(): void;
  showLauncher(): void;
}
const page = window as unknown as { imChat?: ImChatGlobal };
const imChat = () => page.imChat!;

/** Adds the loader's one tag, as a page does, and waits until its element is in the page. */
async function addLoader(data: Record<string, string> = {}): Promise<SupportWidget> {
  const script = document.createElement('script');
  script.src = '/im-chat-loader.js';
  script.dataset['server'] = await serverUrl();
  script.dataset['mode'] = 'support';
  script.dataset['lang'] = 'en';
  Object.assign(script.dataset, data);
  const loaded = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = reject;
  });
  document.head.append(script);
  await loaded;
  return new SupportWidget(document.querySelector<ImChat>('im-chat')!);
}

/** The loader's stand-in launcher, before the widget draws its own. */
const standIn = (widget: SupportWidget) => widget.element.querySelector<HTMLElement>(':scope > div');

/** The element in focus, through shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Whether a pointer at the middle of `element` meets it: the topmost element there, through shadow roots, is it or inside it. */
function reaches(element: Element): boolean {
  const box = element.getBoundingClientRect();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  let top = document.elementFromPoint(x, y);
  while (top?.shadowRoot) {
    const inner = top.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === top) break;
    top = inner;
  }
  for (let node: Node | null = top; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node === element) return true;
  }
  return false;
}

const textOf = (message: Message) => (message.body.type === 'text' ? message.body.text : null);
function heard(client: ChatClient, text: string): Promise<Message> {
  return new Promise((resolve) => {
    const stop = client.on('message', (message) => {
      if (textOf(message) !== text) return;
      stop();
      resolve(message);
    });
  });
}

describe('the support loader (im-chat-loader.js)', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });
  afterEach(() => {
    for (const element of document.querySelectorAll('im-chat, script[src="/im-chat-loader.js"], [data-im-chat-open]')) element.remove();
    // A new page, as far as the next loader can tell.
    delete (window as unknown as Record<symbol, unknown>)[Symbol.for('im-chat.loader')];
    delete page.imChat;
    stopAllClients();
  });

  it('replays every call a page queued before it came, `on` included; `off` stops listening', async () => {
    const opened: string[] = [];
    const listener = () => opened.push('im-open');
    page.imChat = { q: [] } as unknown as ImChatGlobal;
    imChat().q!.push(['on', ['im-open', listener]], ['open', []]);

    const widget = await addLoader();
    await waitFor(() => opened.length === 1, 'im-open heard by the queued listener', 15_000);
    await waitFor(() => widget.isOpen(), 'the panel to open');
    expect(imChat().isOpen()).to.equal(true);

    imChat().off('im-open', listener);
    imChat().close();
    await waitFor(() => !imChat().isOpen(), 'the panel to close');
    expect(widget.isOpen()).to.equal(false);
    imChat().open();
    await waitFor(() => imChat().isOpen(), 'the panel to open again');
    expect(opened).to.deep.equal(['im-open']);
  });

  it('tells the unread answers and changes language', async () => {
    const sam = await startAgent('Sam');
    const widget = await addLoader();
    expect(imChat().unreadCount()).to.equal(0);
    const arrived = heard(sam.client, 'Anyone there?');
    await widget.ask('Anyone there?');
    const { conversationId } = await arrived;
    imChat().close();
    await waitFor(() => !widget.isOpen(), 'the panel to close');
    await sam.client.send(conversationId, 'Yes, Sam here.');
    await waitFor(() => imChat().unreadCount() === 1, 'one unread answer');

    imChat().setLocale('zh-CN');
    expect(widget.element.getAttribute('lang')).to.equal('zh-CN');
    await waitFor(() => widget.launcher().getAttribute('aria-label')?.startsWith('打开聊天'), 'the launcher in Chinese');
  });

  it('keeps its launcher under a press, drawn on top, when the widget arrives mid-press', async () => {
    const widget = await addLoader();
    const button = standIn(widget)!.shadowRoot!.querySelector('button')!;
    // The pointer comes over the launcher (which starts loading the widget) and presses it.
    button.dispatchEvent(new PointerEvent('pointerenter'));
    button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    await waitFor(() => customElements.get('im-chat') && widget.launcher(), 'the widget’s own launcher', 15_000);
    await widget.element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // What the pointer meets where it pressed is still the stand-in it pressed.
    expect(reaches(button), 'the stand-in under the press').to.equal(true);

    // The release, and the click the browser dispatches with it.
    button.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, composed: true }));
    button.click();
    await waitFor(() => widget.isOpen(), 'the panel to open');
    await waitFor(() => standIn(widget) === null, 'the stand-in to go');
  });

  it('lets the widget in after a press released away from its launcher', async () => {
    const widget = await addLoader();
    const button = standIn(widget)!.shadowRoot!.querySelector('button')!;
    button.dispatchEvent(new PointerEvent('pointerenter'));
    button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    // The visitor thinks better of it: drags away and lets go over the page.
    document.body.dispatchEvent(new PointerEvent('pointerup', { bubbles: true, composed: true }));
    await waitFor(() => standIn(widget) === null, 'the stand-in to go', 15_000);
    expect(widget.isOpen()).to.equal(false);
    imChat().open();
    await waitFor(() => widget.isOpen(), 'the panel to open');
  });

  it('hands the keyboard focus from its launcher to the widget’s', async () => {
    const widget = await addLoader();
    const button = standIn(widget)!.shadowRoot!.querySelector('button')!;
    button.focus(); // as Tab would: which also starts loading the widget
    expect(deepActiveElement() === button, 'the focus on the stand-in').to.equal(true);
    await waitFor(() => standIn(widget) === null, 'the stand-in to go', 15_000);
    expect(deepActiveElement() === widget.launcher(), 'the focus on the widget’s launcher').to.equal(true);
    await sendKeys({ press: 'Enter' });
    await waitFor(() => widget.isOpen(), 'the panel to open');
  });

  it('hides the launcher and opens from the page’s own button, giving the focus back to it', async () => {
    const button = document.createElement('button');
    button.textContent = 'Ask us';
    button.setAttribute('data-im-chat-open', '');
    document.body.append(button);

    const widget = await addLoader({ noLauncher: '' });
    expect(standIn(widget)?.hidden, 'the stand-in launcher is hidden').to.equal(true);

    button.focus();
    button.click();
    await waitFor(() => widget.isOpen(), 'the panel to open from the page’s button', 15_000);
    expect(inShadow(widget.element, 'im-support-widget', '[part="launcher"]'), 'no launcher').to.equal(null);
    await waitFor(() => widget.composer(), 'the composer', 15_000);

    await sendKeys({ press: 'Escape' });
    await waitFor(() => !widget.isOpen(), 'the panel to close');
    await waitFor(() => deepActiveElement() === button, 'the focus back on the page’s button');

    imChat().showLauncher();
    await waitFor(() => inShadow(widget.element, 'im-support-widget', '[part="launcher"]'), 'the launcher to show');
    imChat().hideLauncher();
    await waitFor(() => !inShadow(widget.element, 'im-support-widget', '[part="launcher"]'), 'the launcher to go');
  });
});
