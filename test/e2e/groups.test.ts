/**
 * Groups in the demo, as a new user meets them after `npm start`: the landing page's
 * ready-made share link, and a group made in the UI whose link is copied and opened by
 * someone else in another browser.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../support/node/chromium.js';
import { ServerProcess } from '../support/node/server-process.js';

const screenshots = join(process.cwd(), 'test-results', 'screenshots');
let server: ServerProcess;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'im-chat-e2e-groups-'));
  await mkdir(screenshots, { recursive: true });
  server = await ServerProcess.start({ dataDir, demo: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  return context.newPage();
}

async function messenger(user: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await newPage(viewport);
  await page.goto(`${server.url}/demo/messenger.html?user=${user}`);
  await page.locator('im-chat h1').waitFor();
  return page;
}

const conversation = (page: Page, name: string) =>
  page.locator('im-chat button.item').filter({ has: page.locator('.name').getByText(name, { exact: true }) });

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

async function texts(page: Page): Promise<string[]> {
  return page.locator('im-message-list li.message .text').allTextContents();
}

describe('groups in the demo', { timeout: 90_000 }, () => {
  it('joins the demo group from the landing page’s share link and chats in it', async () => {
    const landing = await newPage();
    await landing.goto(server.url);
    const link = landing.getByRole('link', { name: 'Join as Carol' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\?user=carol&im-join=[A-Za-z0-9_-]{32}$/);

    const carol = await newPage();
    await carol.goto(new URL(href!, server.url).href);
    const card = carol.getByRole('dialog');
    await card.getByText('im-chat community').waitFor();
    await card.getByText('2 members').waitFor();
    await carol.screenshot({ path: join(screenshots, 'join-card.png') });
    await card.getByRole('button', { name: 'Join' }).click();
    await carol.locator('im-message-pane h2').getByText('im-chat community').waitFor();
    expect(new URL(carol.url()).searchParams.has('im-join')).toBe(false);

    await send(carol, 'Hello from Carol!');
    const alice = await messenger('alice');
    await conversation(alice, 'im-chat community').click();
    await expect.poll(() => texts(alice)).toContain('Hello from Carol!');
    await alice.getByText('Carol joined with an invite link').waitFor();
  });

  it('makes a group in the UI, shares a copied link, and the other person joins and chats', async () => {
    const bob = await messenger('bob');
    await bob.getByRole('button', { name: 'New group' }).click();
    const create = bob.getByRole('dialog', { name: 'New group' });
    await create.getByLabel('Group name').fill('Weekend hike');
    await create.getByLabel('Description').fill('Trails, times and snacks');
    await create.getByRole('button', { name: 'Create' }).click();
    await bob.locator('im-message-pane h2').getByText('Weekend hike').waitFor();
    await send(bob, 'Who is in for Saturday?');

    await bob.getByRole('button', { name: 'Group info' }).click();
    const panel = bob.getByRole('dialog', { name: 'Group info' });
    await panel.getByRole('tab', { name: 'Settings' }).click();
    await panel.getByRole('button', { name: 'Create link' }).click();
    await panel.getByRole('button', { name: 'Copy' }).first().click();
    await panel.getByText('Copied').waitFor();
    const copied = await bob.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toMatch(/\/demo\/messenger\.html\?user=bob&im-join=[A-Za-z0-9_-]{32}$/);
    await bob.screenshot({ path: join(screenshots, 'group-panel-links.png') });

    // Dave opens the link as himself (the demo page takes the user from its own query).
    const shared = new URL(copied);
    shared.searchParams.set('user', 'dave');
    const dave = await messenger('dave', { width: 390, height: 760 });
    await dave.goto(shared.href);
    await dave.getByRole('dialog').getByRole('button', { name: 'Join' }).click();
    await dave.locator('im-message-pane h2').getByText('Weekend hike').waitFor();
    await expect.poll(() => texts(dave)).toContain('Who is in for Saturday?');
    await send(dave, 'Me!');
    await dave.screenshot({ path: join(screenshots, 'phone-dave-group.png') });

    await panel.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => texts(bob)).toContain('Me!');
    await bob.screenshot({ path: join(screenshots, 'desktop-bob-group.png') });
  });
});
