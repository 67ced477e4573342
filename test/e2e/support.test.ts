/**
 * Support mode in the demo, as a new user meets it after `npm start`: the shop's pages
 * with the one-line loader, visitors in their own browsers, and the agents' inbox.
 */
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBrowser, screenshotDir as screenshots, sendMessage as send } from '../support/node/demo-browser.js';

let demo: DemoBrowser;
/** Console reports of Content Security Policy violations, from every window. */
const cspViolations: string[] = [];

beforeAll(async () => {
  demo = await DemoBrowser.start();
});

afterAll(() => demo?.close());

function watchCsp(page: Page): Page {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return page;
}

/** A visitor in a browser of their own, on a page of the shop. */
async function visit(path: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = watchCsp(await demo.newPage(viewport));
  await page.goto(`${demo.server.url}/demo/shop/${path}`);
  return page;
}

/** An agent's inbox. */
async function inbox(agentId: string, viewport = { width: 1400, height: 860 }): Promise<Page> {
  const page = watchCsp(await demo.newPage(viewport));
  await page.goto(`${demo.server.url}/demo/agent.html?user=${agentId}`);
  await page.locator('im-agent-desk h1').waitFor();
  return page;
}

/** The launcher: the loader's stand-in until the widget draws its own. */
const launcher = (page: Page) =>
  page.locator('im-support-widget [part="launcher"]').or(page.locator('im-chat').getByRole('button', { name: 'Open chat' })).first();
const panelTexts = (page: Page) => page.locator('im-support-widget im-message-list li.message .text').allTextContents();
const caseRows = (page: Page) => page.locator('im-agent-desk button.item');
const casePanel = (page: Page) => page.locator('im-support-case');

describe('support in the demo shop', { timeout: 120_000 }, () => {
  let sam: Page;
  let visitor: Page;

  it('brings a visitor’s question with its product to the online agent, and the answer back', async () => {
    sam = await inbox('sam');
    visitor = await visit('lamp.html');
    await launcher(visitor).click();
    await send(visitor, 'Is the Aurora lamp dimmable?');
    await expect.poll(() => panelTexts(visitor)).toEqual(['Is the Aurora lamp dimmable?']);

    // Routed to Sam, the only agent online: it is his.
    await sam.getByRole('tab', { name: 'Mine (1)' }).click();
    await caseRows(sam).first().click();
    await sam.locator('im-agent-desk im-message-list').getByText('Is the Aurora lamp dimmable?').waitFor();
    await casePanel(sam).getByText('You are answering').waitFor();
    await casePanel(sam).getByRole('link', { name: 'Aurora desk lamp · Oak & Ember' }).waitFor();
    expect(await casePanel(sam).locator('dl.context').textContent()).toContain('aurora-lamp');
    await sam.screenshot({ path: join(screenshots, 'agent-inbox.png') });
    await send(sam, 'Yes: from 5% to 100%, with the foot switch.');

    await expect.poll(() => panelTexts(visitor)).toEqual([
      'Is the Aurora lamp dimmable?',
      'Yes: from 5% to 100%, with the foot switch.',
    ]);
    await visitor.locator('im-support-widget').getByText('Sam is here to help').waitFor();
    await visitor.screenshot({ path: join(screenshots, 'shop-visitor.png') });
  });

  it('keeps the panel open on the next page, and shows the agent where the visitor went', async () => {
    await visitor.getByRole('link', { name: 'Fjord chair' }).click();
    await visitor.waitForURL(/chair\.html$/);
    await expect.poll(() => panelTexts(visitor), { timeout: 20_000 }).toEqual([
      'Is the Aurora lamp dimmable?',
      'Yes: from 5% to 100%, with the foot switch.',
    ]);
    expect(await visitor.locator('im-chat').getAttribute('open')).toBe('');
    await casePanel(sam).getByRole('link', { name: 'Fjord lounge chair · Oak & Ember' }).waitFor();
    expect(await casePanel(sam).locator('dl.context').textContent()).toContain('fjord-chair');
    await casePanel(sam).getByText('Aurora desk lamp · Oak & Ember').waitFor(); // under "Before that"
  });

  it('gives the next question to the agent with fewer open conversations', async () => {
    const kim = await inbox('kim');
    const second = await visit('index.html');
    await launcher(second).click();
    await send(second, 'Do you ship to Norway?');
    try {
      await kim.getByRole('tab', { name: 'Mine (1)' }).click();
      await caseRows(kim).first().click();
      await kim.locator('im-agent-desk im-message-list').getByText('Do you ship to Norway?').waitFor();
      // Sam still has the one he had.
      await sam.getByRole('tab', { name: 'Mine (1)' }).waitFor();
    } finally {
      await kim.context().close();
      await second.context().close();
    }
  });

  it('takes a question while nobody is there, and the visitor finds the answer on coming back', async () => {
    await sam.context().close(); // no agent online now
    const late = await visit('lamp.html');
    await launcher(late).click();
    await send(late, 'Can I collect it in the shop?');
    await late.locator('im-support-widget').getByText(/Nobody can answer right now/).waitFor();
    await launcher(late).click(); // closes the panel
    const url = late.url();
    await late.goto('about:blank'); // the visitor leaves

    sam = await inbox('sam');
    await sam.getByRole('tab', { name: 'Unassigned (1)' }).click();
    await caseRows(sam).first().click();
    await sam.locator('im-agent-desk im-message-list').getByText('Can I collect it in the shop?').waitFor();
    await casePanel(sam).getByRole('button', { name: 'Take it' }).click();
    await send(sam, 'Yes, any day from 10 to 6.');

    await late.goto(url);
    await late.locator('im-chat').getByRole('button', { name: 'Open chat (1 new answer)' }).waitFor({ timeout: 20_000 });
    await launcher(late).click();
    await expect.poll(() => panelTexts(late)).toContain('Yes, any day from 10 to 6.');
  });

  it('shows the launcher before the widget arrives, and replays what the page asked meanwhile', async () => {
    const page = watchCsp(await demo.newPage());
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/dist/im-chat.iife.js', async (route: Route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${demo.server.url}/demo/shop/chair.html`);
    const standIn = page.locator('im-chat').getByRole('button', { name: 'Open chat' });
    await standIn.waitFor();
    // The page's own code runs these (a string, as this file has no DOM types).
    expect(await page.evaluate("customElements.get('im-chat') === undefined")).toBe(true);
    // Calls made before the widget is there wait for it.
    await page.evaluate('imChat.open()');
    release();
    await page.locator('im-support-widget section[role="dialog"]').waitFor({ state: 'visible' });
    expect(await page.locator('im-chat').getAttribute('open')).toBe('');
  });

  it('keeps two loaders on one page apart, each with its own launcher and panel', async () => {
    const page = watchCsp(await demo.newPage());
    // A page of the site that embeds two bubbles, served from the demo's origin.
    await page.route('**/demo/shop/two-bubbles.html', (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: { 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'" },
        body: `<!doctype html><html lang="en"><head><title>Two bubbles</title>
          <script async src="/dist/im-chat-loader.js" data-server="/" data-name="sales" data-position="left"></script>
          <script async src="/dist/im-chat-loader.js" data-server="/"></script>
          </head><body><h1>Two bubbles</h1></body></html>`,
      }),
    );
    await page.goto(`${demo.server.url}/demo/shop/two-bubbles.html`);
    await expect.poll(() => page.locator('im-chat').count()).toBe(2);
    await page.evaluate("imChat.get('sales').open()");
    const sales = page.locator('im-chat[data-name="sales"]');
    await sales.locator('section[role="dialog"]').waitFor({ state: 'visible' });
    expect(await page.locator('im-chat[data-name="default"]').getAttribute('open')).toBeNull();
    const left = await sales.locator('[part="launcher"]').boundingBox();
    const right = await page.locator('im-chat[data-name="default"] [part="launcher"]').boundingBox();
    expect(left!.x).toBeLessThan(right!.x);
    // The next page opens the one that was open, only.
    await page.reload();
    await sales.locator('section[role="dialog"]').waitFor({ state: 'visible' });
    await page.locator('im-chat[data-name="default"] [part="launcher"]').waitFor();
    expect(await page.locator('im-chat[data-name="default"]').getAttribute('open')).toBeNull();
  });

  it('is a full-screen panel on a phone', async () => {
    const phone = await visit('lamp.html', { width: 390, height: 760 });
    await launcher(phone).click();
    const panel = phone.locator('im-support-widget section[role="dialog"]');
    await phone.getByRole('textbox', { name: 'Message' }).waitFor();
    expect(await panel.boundingBox()).toMatchObject({ x: 0, y: 0, width: 390, height: 760 });
    await phone.screenshot({ path: join(screenshots, 'shop-phone.png') });
    await phone.getByRole('button', { name: 'Close chat' }).first().click();
    await panel.waitFor({ state: 'hidden' });
  });

  it('works under the demo’s strict Content Security Policy (no inline script or style)', () => {
    expect(cspViolations).toEqual([]);
  });
});
