/**
 * What an integrator styles from outside: `::part` through every shadow root, a single
 * accent override that stays readable, and a support bubble that matches the page's
 * colour scheme.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import type { ImChat } from '../../src/ui/index.js';
import { serverUrl, waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, type Widget } from '../support/browser/widget.js';

/** Every element in the tree under `root`, through open shadow roots. */
function deepElements(root: Element | ShadowRoot): Element[] {
  const found: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    found.push(element);
    if (element.shadowRoot) found.push(...deepElements(element.shadowRoot));
  }
  return found;
}

function withPart(root: Element, name: string): Element[] {
  return deepElements(root.shadowRoot!).filter((element) => element.part.contains(name));
}

/** A CSS colour as sRGB channels 0–255, as the browser paints it. */
function rgb(color: string): [number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The WCAG contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

async function chatWithOwnMessage(): Promise<{ alice: Widget; bubble: HTMLElement }> {
  const { alice, names } = await alicePlusBob();
  await alice.startChatWith(names.bob);
  await alice.send('Styled from outside');
  const list = alice.messageList()!;
  const bubble = await waitFor(
    () => list.shadowRoot!.querySelector<HTMLElement>('li.message.own[data-status="sent"] .bubble'),
    'the sent message',
  );
  return { alice, bubble };
}

describe('theming', () => {
  const style = document.createElement('style');
  afterEach(() => {
    fixtureCleanup();
    style.remove();
    document.documentElement.style.removeProperty('color-scheme');
  });

  it('reaches every visible part from outside with ::part, and styles bubbles and the send button', async () => {
    const { alice, bubble } = await chatWithOwnMessage();
    style.textContent = `
      im-chat::part(bubble) { border-top-left-radius: 3px; }
      im-chat::part(own-bubble) { background-color: rgb(10, 80, 30); }
      im-chat::part(send-button) { background-color: rgb(120, 20, 90); }
    `;
    document.head.append(style);
    await nextFrame();
    expect(getComputedStyle(bubble).borderTopLeftRadius).to.equal('3px');
    expect(getComputedStyle(bubble).backgroundColor).to.equal('rgb(10, 80, 30)');
    const send = inShadow(alice.element, 'im-message-pane', 'im-composer', 'button[part~="send-button"]')!;
    expect(getComputedStyle(send).backgroundColor).to.equal('rgb(120, 20, 90)');

    const parts = ['header', 'composer', 'input', 'send-button', 'conversation-row', 'avatar', 'badge', 'message-list', 'bubble', 'own-bubble'];
    // `badge` shows for unread conversations: Bob gets one from Alice.
    style.textContent = parts.map((name) => `im-chat::part(${name}) { scroll-margin-top: 7px; }`).join('\n');
    await nextFrame();
    const unreached = parts.filter((name) => {
      const elements = withPart(alice.element, name);
      return elements.length === 0 || elements.some((element) => getComputedStyle(element).scrollMarginTop !== '7px');
    });
    // The badge is on Bob's side (his unread count), not on Alice's.
    expect(unreached).to.deep.equal(['badge']);
  });

  it('keeps text on the accent readable in light and dark, whatever single accent a page sets', async () => {
    const { alice, bubble } = await chatWithOwnMessage();
    const failures: string[] = [];
    for (const theme of ['light', 'dark']) {
      alice.element.setAttribute('theme', theme);
      for (const accent of ['', '#1d4ed8', '#93c5fd', '#facc15', '#7c3aed', '#0f766e', '#f97316', '#111827', '#e5e7eb']) {
        if (accent) alice.element.style.setProperty('--im-color-accent', accent);
        else alice.element.style.removeProperty('--im-color-accent');
        await nextFrame();
        const { backgroundColor, color } = getComputedStyle(bubble);
        const ratio = contrast(backgroundColor, color);
        if (ratio < 4.5) failures.push(`${theme} ${accent || 'default'}: ${color} on ${backgroundColor} is ${ratio.toFixed(2)}:1`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('in support mode follows the page’s color-scheme, unless the theme attribute says otherwise', async () => {
    const element = await fixture<ImChat>(html`<im-chat mode="support" server=${await serverUrl()} lang="en"></im-chat>`);
    const background = () => getComputedStyle(element).getPropertyValue('--im-color-bg').trim().toLowerCase();
    const light = background();
    expect(luminance(light)).to.be.above(0.5); // the test page declares no scheme: light

    document.documentElement.style.setProperty('color-scheme', 'dark');
    await waitFor(() => luminance(background()) < 0.1, 'the bubble to turn dark with the page');
    element.setAttribute('theme', 'light');
    await waitFor(() => luminance(background()) > 0.5, 'theme="light" to win over the page');
    element.removeAttribute('theme');
    await waitFor(() => luminance(background()) < 0.1, 'the page’s scheme again');
    document.documentElement.style.setProperty('color-scheme', 'only light');
    await waitFor(() => luminance(background()) > 0.5, 'a light page, a light bubble');
  });
});
