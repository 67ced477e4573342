/**
 * The demo as a new user meets it after `npm start`: the real server entry in demo mode,
 * the built widget, and real Chromium windows driven by Playwright.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DemoBrowser,
  conversationItem as conversation,
  screenshotDir as screenshots,
  sendMessage as send,
} from '../support/node/demo-browser.js';

let demo: DemoBrowser;
/** Console reports of Content Security Policy violations, from every window. */
const cspViolations: string[] = [];

beforeAll(async () => {
  demo = await DemoBrowser.start();
});

afterAll(() => demo?.close());

/** A separate browser profile (another person or another device) opened from the landing page. */
async function openAs(name: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await demo.newPage(viewport);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(demo.server.url);
  const href = await page.getByRole('link', { name, exact: true }).getAttribute('href');
  await page.goto(new URL(href!, demo.server.url).href);
  await page.locator('im-chat h1').waitFor();
  return page;
}

const badge = (page: Page, name: string) => conversation(page, name).locator('.badge');

/** The unread badge's text, or null without one. */
async function unread(page: Page, name: string): Promise<string | null> {
  return (await badge(page, name).count()) > 0 ? badge(page, name).textContent() : null;
}
const messages = (page: Page) => page.locator('im-message-list li.message');

async function texts(page: Page): Promise<string[]> {
  return messages(page).evaluateAll((items) =>
    items.map((item) => `${item.querySelector('.text')!.textContent}:${item.getAttribute('data-status')}`),
  );
}

describe('the demo, as a new user meets it', { timeout: 90_000 }, () => {
  let alice: Page;
  let bob: Page;

  it('lists the demo users on the landing page', async () => {
    const page = await demo.newPage();
    await page.goto(demo.server.url);
    const names = await page.locator('#users a').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['Alice', 'Bob', 'Carol', 'Dave']));
    await page.context().close();
  });

  it('lets Alice and Bob, in two windows, start a chat and talk live', async () => {
    [alice, bob] = await Promise.all([openAs('Alice'), openAs('Bob')]);
    await alice.getByRole('button', { name: 'New chat' }).click();
    await alice.getByRole('dialog').getByRole('button', { name: 'Bob' }).click();
    await send(alice, 'Hello Bob, this is Alice.');
    await expect.poll(() => texts(alice)).toEqual(['Hello Bob, this is Alice.:sent']);

    await expect.poll(() => unread(bob, 'Alice')).toBe('1');
    await conversation(bob, 'Alice').click();
    await expect.poll(() => texts(bob)).toEqual(['Hello Bob, this is Alice.:sent']);
    await expect.poll(() => unread(bob, 'Alice')).toBe(null);

    await send(bob, 'Hi Alice! Got it.');
    await expect.poll(() => texts(alice)).toEqual([
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
    ]);
    await alice.screenshot({ path: join(screenshots, 'desktop-alice.png') });
  });

  it('shows the conversation list and last messages from the cache on reload, before the network answers', async () => {
    // Hold back every network answer the widget could use: its token and its socket.
    await alice.route('**/api/demo/token', () => undefined);
    await alice.route('**/socket.io/**', () => undefined);
    await alice.reload();
    await conversation(alice, 'Bob').waitFor();
    expect(await conversation(alice, 'Bob').locator('.preview').textContent()).toBe('Hi Alice! Got it.');
    await conversation(alice, 'Bob').click();
    await expect.poll(() => texts(alice)).toEqual([
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
    ]);
    await alice.unrouteAll({ behavior: 'ignoreErrors' });
    await alice.reload();
    await conversation(alice, 'Bob').click();
    await alice.locator('im-connection-status [part="banner"]').waitFor({ state: 'detached' });
  });

  it('keeps messages written while the server is down as pending, then delivers them once, in order', async () => {
    await demo.server.stop();
    await alice.locator('im-connection-status', { hasText: 'Offline' }).waitFor();
    await send(alice, 'Are you there?');
    await send(alice, 'The server seems down.');
    await expect.poll(() => texts(alice)).toEqual([
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
      'Are you there?:pending',
      'The server seems down.:pending',
    ]);
    await alice.screenshot({ path: join(screenshots, 'desktop-alice-offline.png') });

    await demo.server.start();
    const delivered = [
      'Hello Bob, this is Alice.:sent',
      'Hi Alice! Got it.:sent',
      'Are you there?:sent',
      'The server seems down.:sent',
    ];
    await expect.poll(() => texts(alice), { timeout: 20_000 }).toEqual(delivered);
    await expect.poll(() => texts(bob), { timeout: 20_000 }).toEqual(delivered);
  });

  it('clears the unread badge on Bob’s other device when he reads on one', async () => {
    const bobPhone = await openAs('Bob', { width: 390, height: 760 });
    const messengerUrl = bob.url();
    await bob.goto(demo.server.url); // Bob leaves his desktop messenger
    await send(alice, 'One more thing.');
    await expect.poll(() => unread(bobPhone, 'Alice')).toBe('1');
    await bobPhone.screenshot({ path: join(screenshots, 'phone-bob-list.png') });

    await bob.goto(messengerUrl);
    await conversation(bob, 'Alice').click();
    await expect.poll(() => texts(bob)).toContain('One more thing.:sent');
    await expect.poll(() => unread(bobPhone, 'Alice')).toBe(null);
  });

  it('uses one pane with a back button on a phone', async () => {
    const phone = await openAs('Carol', { width: 390, height: 760 });
    await phone.getByRole('button', { name: 'New chat' }).click();
    await phone.getByRole('dialog').getByRole('button', { name: 'Alice' }).click();
    await send(phone, 'Hi from my phone');
    await expect.poll(() => texts(phone)).toEqual(['Hi from my phone:sent']);
    await phone.locator('im-chat nav').waitFor({ state: 'hidden' });
    await phone.screenshot({ path: join(screenshots, 'phone-carol-conversation.png') });
    await phone.getByRole('button', { name: 'Back to conversations' }).click();
    await conversation(phone, 'Alice').waitFor();
  });

  it('replies to a message from its menu, with an emoji from the picker', async () => {
    await messages(alice).filter({ hasText: 'Hi Alice! Got it.' }).click({ button: 'right' });
    await alice.getByRole('menuitem', { name: 'Reply' }).click();
    await alice.getByRole('button', { name: 'Emoji', exact: true }).click();
    await alice.getByRole('tab', { name: 'Smileys and emotion' }).click();
    const emoji = alice.getByRole('grid', { name: 'Emoji' }).getByRole('button').first();
    const picked = await emoji.textContent();
    await emoji.click();
    await alice.keyboard.press('Escape'); // closes the picker, keeps the reply
    await send(alice, `Great ${picked}`);

    for (const page of [alice, bob]) {
      const reply = messages(page).last();
      await expect.poll(() => reply.locator('.text').textContent()).toBe(`Great ${picked}`);
      expect(await reply.locator('.quote-text').textContent()).toContain('Hi Alice! Got it.');
    }
  });

  it('works under the demo’s strict Content Security Policy (no inline script or style)', () => {
    expect(cspViolations).toEqual([]);
  });
});
