/**
 * The demo as a new user meets it after `npm start`: the real server entry in demo mode,
 * the built widget, and real browser windows, in each engine (Chromium, Firefox, WebKit;
 * IM_BROWSERS narrows the run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPage } from '../support/node/demo-driver.js';
import { EngineDemo, conversationItem as conversation, sendMessage as send, type DemoWindow } from '../support/node/engine-demo.js';
import { selectedEngines } from '../support/node/engines.js';

const badge = (page: DemoPage, name: string) => conversation(page, name).locator('.badge');

/** The unread badge's text, or null without one (read in one go: the badge may go meanwhile). */
function unread(page: DemoPage, name: string): Promise<string | null> {
  return badge(page, name).evaluateAll<string | null>('(els) => (els.length ? els[0].textContent : null)');
}
const messages = (page: DemoPage) => page.locator('im-message-list li.message');

function texts(page: DemoPage): Promise<string[]> {
  return messages(page).evaluateAll<string[]>(
    `(items) => items.map((item) => item.querySelector('.text').textContent + ':' + item.getAttribute('data-status'))`,
  );
}

/** A value as it becomes, within a limit generous for the slowest engine on busy CI cores. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });

describe.each(selectedEngines())('the demo, as a new user meets it, in %s', { timeout: 120_000 }, (engine) => {
  let demo: EngineDemo;
  /** Console reports of Content Security Policy violations, from every window. */
  const cspViolations: string[] = [];
  /** Whether the engine's driver reports console messages at all. */
  let consoleReported = true;
  let alice: DemoWindow;
  let bob: DemoWindow;

  beforeAll(async () => {
    demo = await EngineDemo.start(engine);
  });

  afterAll(() => demo?.close());

  /** A separate browser profile (another person or another device) opened from the landing page. */
  async function openAs(name: string, viewport = { width: 1280, height: 800 }): Promise<DemoWindow> {
    const page = await demo.newWindow(viewport);
    consoleReported &&= page.onConsole((text) => {
      if (/Content Security Policy/i.test(text)) cspViolations.push(text);
    });
    await page.goto(page.proxy.url);
    const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
    await page.goto(new URL(href!, page.proxy.url).href);
    await page.locator('im-chat h2').waitFor();
    return page;
  }

  it('lists the demo users on the landing page', async () => {
    const page = await demo.newWindow();
    await page.goto(page.proxy.url);
    await page.locator('#users a').first().waitFor(); // the page lists them once it has fetched them
    const names = await page.locator('#users a').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Alice', 'Bob', 'Carol', 'Dave']));
    await page.close();
  });

  it('lets Alice and Bob, in two windows, start a chat and talk live', async () => {
    [alice, bob] = await Promise.all([openAs('Alice'), openAs('Bob')]);
    await alice.getByRole('button', { name: 'New chat' }).click();
    await alice.getByRole('dialog').getByRole('button', { name: 'Bob' }).click();
    await send(alice, 'Hello Bob, this is Alice.');
    await eventually(() => texts(alice)).toEqual(['Hello Bob, this is Alice.:sent']);

    await eventually(() => unread(bob, 'Alice')).toBe('1');
    await conversation(bob, 'Alice').click();
    await eventually(() => texts(bob)).toEqual(['Hello Bob, this is Alice.:sent']);
    await eventually(() => unread(bob, 'Alice')).toBe(null);

    await send(bob, 'Hi Alice! Got it.');
    await eventually(() => texts(alice)).toEqual([
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
    ]);
    await demo.screenshot(alice, 'desktop-alice');
  });

  it('shows the conversation list and last messages from the cache on reload, before the network answers', async () => {
    // Hold back every network answer the widget could use: its token and its socket.
    alice.proxy.hold(/^\/api\/demo\/token/, /^\/socket\.io\//);
    try {
      await alice.reload();
      await conversation(alice, 'Bob').waitFor();
      expect(await conversation(alice, 'Bob').locator('.preview').textContent()).toBe('Hi Alice! Got it.');
      await conversation(alice, 'Bob').click();
      await eventually(() => texts(alice)).toEqual([
        'Hello Bob, this is Alice.:sent',
        'Hi Alice! Got it.:sent',
      ]);
    } finally {
      alice.proxy.release();
    }
    await alice.reload();
    await conversation(alice, 'Bob').click();
    await alice.locator('im-connection-status [part="banner"]').waitFor({ state: 'detached' });
  });

  it('keeps messages written while the server is down as pending, then delivers them once, in order', async () => {
    await demo.server.stop();
    await alice.locator('im-connection-status').filter({ hasText: 'Offline' }).waitFor();
    await send(alice, 'Are you there?');
    await send(alice, 'The server seems down.');
    await eventually(() => texts(alice)).toEqual([
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
      'Are you there?:pending',
      'The server seems down.:pending',
    ]);
    await demo.screenshot(alice, 'desktop-alice-offline');

    await demo.server.start();
    const delivered = [
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
      'Are you there?:sent',
      'The server seems down.:sent',
    ];
    await eventually(() => texts(alice)).toEqual(delivered);
    await eventually(() => texts(bob)).toEqual(delivered);
  });

  it('clears the unread badge on Bob’s other device when he reads on one', async () => {
    const bobPhone = await openAs('Bob', { width: 390, height: 760 });
    const messengerUrl = await bob.url();
    await bob.goto(bob.proxy.url); // Bob leaves his desktop messenger
    await send(alice, 'One more thing.');
    await eventually(() => unread(bobPhone, 'Alice')).toBe('1');
    await demo.screenshot(bobPhone, 'phone-bob-list');

    await bob.goto(messengerUrl);
    await conversation(bob, 'Alice').click();
    await eventually(() => texts(bob)).toContain('One more thing.:sent');
    await eventually(() => unread(bobPhone, 'Alice')).toBe(null);
  });

  it('uses one pane with a back button on a phone', async () => {
    const phone = await openAs('Carol', { width: 390, height: 760 });
    await phone.getByRole('button', { name: 'New chat' }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Alice' }).click();
    await send(phone, 'Hi from my phone');
    await eventually(() => texts(phone)).toEqual(['Hi from my phone:sent']);
    await phone.locator('im-chat nav').waitFor({ state: 'hidden' });
    await demo.screenshot(phone, 'phone-carol-conversation');
    await phone.getByRole('button', { name: 'Back to conversations' }).click();
    await conversation(phone, 'Alice').waitFor();
  });

  it('replies to a message from its menu, with an emoji from the picker', async () => {
    await messages(alice).filter({ hasText: 'Hi Alice! Got it.' }).click({ button: 'right' });
    await alice.getByRole('menuitem', { name: 'Reply' }).click();
    await alice.getByRole('button', { name: 'Emoji', exact: true }).click();
    await alice.getByRole('tab', { name: 'Smileys and emotion' }).click();
    const emoji = alice.getByRole('tabpanel', { name: 'Emoji' }).getByRole('button').first();
    const picked = await emoji.textContent();
    await emoji.click();
    await alice.press('Escape'); // closes the picker, keeps the reply
    await send(alice, `Great ${picked}`);

    for (const page of [alice, bob]) {
      const reply = messages(page).last();
      await eventually(() => reply.locator('.text').textContent()).toBe(`Great ${picked}`);
      expect(await reply.locator('.quote-text').textContent()).toContain('Hi Alice! Got it.');
    }
  });

  it('speaks German with ?lang=de, the one script fetching its strings from next to it', async () => {
    const page = await demo.newWindow();
    consoleReported &&= page.onConsole((text) => {
      if (/Content Security Policy/i.test(text)) cspViolations.push(text);
    });
    await page.goto(page.proxy.url);
    const href = await page.getByRole('link', { name: 'Dave', exact: true }).getAttribute('href');
    const url = new URL(href!, page.proxy.url);
    url.searchParams.set('lang', 'de');
    await page.goto(url.href);
    // im-chat.iife.js holds English only: German comes from dist/locales/de.json.
    await page.getByRole('button', { name: 'Neuer Chat' }).waitFor();
    await page.close();
  });

  it('works under the demo’s strict Content Security Policy (no inline script or style)', () => {
    // WebKit's WebDriver has no console log: there the check cannot be made, and says so.
    expect(consoleReported).toBe(engine !== 'webkit');
    expect(cspViolations).toEqual([]);
  });
});
