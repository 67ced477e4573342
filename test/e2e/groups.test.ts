/**
 * Groups in the demo, as a new user meets them after `npm start`: the landing page's
 * ready-made share link, and a group made in the UI whose link is copied and opened by
 * someone else in another browser.
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

beforeAll(async () => {
  demo = await DemoBrowser.start();
});

afterAll(() => demo?.close());

async function texts(page: Page): Promise<string[]> {
  return page.locator('im-message-list li.message .text').allTextContents();
}

describe('groups in the demo', { timeout: 90_000 }, () => {
  it('joins the demo group from the landing page’s share link and chats in it', async () => {
    const landing = await demo.newPage();
    await landing.goto(demo.server.url);
    const link = landing.getByRole('link', { name: 'Join as Carol' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\?user=carol&im-join=[A-Za-z0-9_-]{32}$/);

    const carol = await demo.newPage();
    await carol.goto(new URL(href!, demo.server.url).href);
    const card = carol.getByRole('dialog');
    await card.getByText('im-chat community').waitFor();
    await card.getByText('2 members').waitFor();
    await carol.screenshot({ path: join(screenshots, 'join-card.png') });
    await card.getByRole('button', { name: 'Join' }).click();
    await carol.locator('im-message-pane h2').getByText('im-chat community').waitFor();
    expect(new URL(carol.url()).searchParams.has('im-join')).toBe(false);

    await send(carol, 'Hello from Carol!');
    const alice = await demo.messenger('alice');
    await conversation(alice, 'im-chat community').click();
    await expect.poll(() => texts(alice)).toContain('Hello from Carol!');
    await alice.getByText('Carol joined with an invite link').waitFor();
  });

  it('makes a group in the UI, shares a copied link, and the other person joins and chats', async () => {
    const bob = await demo.messenger('bob');
    await bob.getByRole('button', { name: 'New group' }).click();
    const create = bob.getByRole('dialog', { name: 'New group' });
    await create.getByLabel('Group name').fill('Weekend hike');
    await create.getByLabel('Description').fill('Trails, times and snacks');
    await create.getByRole('button', { name: 'Create' }).click();
    await bob.locator('im-message-pane h2').getByText('Weekend hike').waitFor();
    await send(bob, 'Who is in for Saturday?');

    // One click from the group's header to its invite links.
    await bob.getByRole('button', { name: 'Invite link' }).click();
    const panel = bob.getByRole('dialog', { name: 'Group info' });
    await panel.getByRole('button', { name: 'Create link' }).click();
    await panel.getByRole('button', { name: 'Copy' }).first().click();
    await panel.getByText('Copied').waitFor();
    const copied = await bob.evaluate<string>('navigator.clipboard.readText()');
    // The invitation and nothing else: not who shared it.
    expect(copied).toMatch(/\/demo\/messenger\.html\?im-join=[A-Za-z0-9_-]{32}$/);
    await panel.getByRole('button', { name: 'QR code' }).first().click();
    await panel.getByRole('img', { name: 'QR code of the invite link to “Weekend hike”' }).waitFor();
    await bob.screenshot({ path: join(screenshots, 'group-panel-links.png') });

    // Dave opens the link in a browser that has never seen the demo: he says who he is, then joins.
    const dave = await demo.newPage({ width: 390, height: 844 });
    await dave.goto(copied);
    await dave.getByRole('heading', { name: 'You were invited to a group' }).waitFor();
    await dave.screenshot({ path: join(screenshots, 'phone-invite-who.png') });
    await dave.getByRole('link', { name: 'Dave' }).click();
    const card = dave.getByRole('dialog');
    await card.getByText('Weekend hike').waitFor();
    await card.getByRole('button', { name: 'Join' }).click();
    await dave.locator('im-message-pane h2').getByText('Weekend hike').waitFor();
    expect(new URL(dave.url()).searchParams.get('user')).toBe('dave');
    await expect.poll(() => texts(dave)).toContain('Who is in for Saturday?');
    await send(dave, 'Me!');
    await dave.screenshot({ path: join(screenshots, 'phone-dave-group.png') });

    await panel.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => texts(bob)).toContain('Me!');
    await bob.screenshot({ path: join(screenshots, 'desktop-bob-group.png') });
  });
});
