/**
 * What an integrator styles from outside: `::part` through every shadow root, a single
 * accent override that stays readable, and a support bubble that matches the page's
 * colour scheme.
 */
import 'axe-core/axe.min.js';
import type { AxeResults } from 'axe-core';
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

/** The colour painted behind an element: the first opaque background up the tree, through shadow roots. */
function backgroundBehind(element: Element): string {
  for (let current: Element | null = element; current; ) {
    const { backgroundColor } = getComputedStyle(current);
    if (rgba(backgroundColor)[3] === 255) return backgroundColor;
    current = current.parentElement ?? ((current.getRootNode() as ShadowRoot).host || null);
  }
  return 'white';
}

function rgba(color: string): [number, number, number, number] {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = context.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!, a!];
}

/**
 * Accents an integrator might pick, light and dark, saturated and grey: those that fall
 * below 4.5:1 as text on a light background (yellow, sky, lime) or on a dark one (navy,
 * violet), and the theme's own (none set).
 */
const accents = ['', '#ffd400', '#7dd3fc', '#a3e635', '#facc15', '#f97316', '#e5e7eb', '#1e3a8a', '#4c1d95', '#111827', '#0f766e', '#ff0000', '#00ff00', '#0000ff', '#ff00ff'];

/** What `check` finds wrong, with each accent set alone on the element, in light and in dark. */
async function overEveryAccent(element: HTMLElement, check: (where: string) => string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const theme of ['light', 'dark']) {
    element.setAttribute('theme', theme);
    for (const accent of accents) {
      if (accent) element.style.setProperty('--im-color-accent', accent);
      else element.style.removeProperty('--im-color-accent');
      await nextFrame();
      failures.push(...check(`${theme} ${accent || 'default'}`));
    }
  }
  element.removeAttribute('theme');
  element.style.removeProperty('--im-color-accent');
  return failures;
}

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

  it('passes axe’s contrast check in a conversation with a pale or a deep accent, light and dark', async () => {
    const { alice } = await chatWithOwnMessage();
    const axe = (window as unknown as { axe: { run(context: Node, options: object): Promise<AxeResults> } }).axe;
    const findings: string[] = [];
    for (const theme of ['light', 'dark']) {
      alice.element.setAttribute('theme', theme);
      for (const accent of ['#ffd400', '#7dd3fc', '#a3e635', '#1e3a8a', '#4c1d95']) {
        alice.element.style.setProperty('--im-color-accent', accent);
        await nextFrame();
        const { violations } = await axe.run(alice.element, { runOnly: ['color-contrast', 'link-in-text-block'], resultTypes: ['violations'] });
        for (const violation of violations) {
          for (const node of violation.nodes) findings.push(`${theme} ${accent}: ${violation.id} at ${JSON.stringify(node.target)}: ${node.failureSummary}`);
        }
      }
    }
    expect(findings).to.deep.equal([]);
  });

  it('keeps the accent readable as text and as marks on every surface, whatever single accent a page sets', async () => {
    const element = await fixture<ImChat>(html`<im-chat server=${await serverUrl()} lang="en"></im-chat>`);
    // Accent text on each of the theme's surfaces, drawn inside the widget so that it inherits its tokens.
    const surfaces = ['bg', 'surface', 'surface-hover', 'selected', 'bubble'];
    const probes = surfaces.map((surface) => {
      const probe = document.createElement('span');
      probe.style.cssText = `color: var(--im-color-accent-text); background-color: var(--im-color-${surface})`;
      element.shadowRoot!.append(probe);
      return probe;
    });
    const failures = await overEveryAccent(element, (where) =>
      probes.flatMap((probe, index) => {
        const { color, backgroundColor } = getComputedStyle(probe);
        const ratio = contrast(color, backgroundColor);
        return ratio < 4.5 ? [`${where}, on --im-color-${surfaces[index]}: ${color} on ${backgroundColor} is ${ratio.toFixed(2)}:1`] : [];
      }),
    );
    expect(failures).to.deep.equal([]);
  });

  it('draws the selected tab and a chosen option of the group panel in a visible accent', async () => {
    const { alice } = await alicePlusBob();
    const element = alice.element;
    const id = await element.chatClient!.groups.create({ name: 'Book club', memberIds: [] });
    element.openConversation(id);
    const info = await waitFor(() => inShadow<HTMLButtonElement>(element, 'im-message-pane', 'button.info'), 'the group info button');
    info.click();
    const panel = await waitFor(() => inShadow(element, 'im-message-pane', 'im-group-panel'), 'the group panel');
    const settingsTab = await waitFor(() => panel.shadowRoot!.querySelector<HTMLButtonElement>('[role="tab"].settings'), 'the settings tab');
    settingsTab.click();
    const chosen = await waitFor(
      () => panel.shadowRoot!.querySelector('im-group-settings')?.shadowRoot?.querySelector<HTMLInputElement>('input[type="radio"]:checked'),
      'the chosen join policy',
    );
    const failures = await overEveryAccent(element, (where) => {
      const tab = panel.shadowRoot!.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')!;
      const marks = [
        { what: 'the selected tab’s underline', color: getComputedStyle(tab).borderBottomColor, on: backgroundBehind(tab) },
        { what: 'the chosen option’s ring', color: getComputedStyle(chosen).borderTopColor, on: backgroundBehind(chosen) },
      ];
      return marks.flatMap(({ what, color, on }) => {
        const ratio = contrast(color, on);
        return ratio < 3 ? [`${where}, ${what}: ${color} on ${on} is ${ratio.toFixed(2)}:1`] : [];
      });
    });
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
