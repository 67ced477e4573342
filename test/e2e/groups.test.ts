/**
 * Groups in the demo, as a new user meets them after `npm start`: the landing page's
 * ready-made share link, and a group made in the UI whose link is copied and opened by
 * someone else in another browser; in each engine (IM_BROWSERS narrows the run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPage } from '../support/node/demo-driver.js';
import { EngineDemo, conversationItem as conversation, sendMessage as send, type DemoWindow } from '../support/node/engine-demo.js';
import { selectedEngines } from '../support/node/engines.js';

const texts = (page: DemoPage) => page.locator('im-message-list li.message .text').allTextContents();

/** A value as it becomes, within a limit generous for the slowest engine on busy CI cores. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });

describe.each(selectedEngines())('groups in the demo, in %s', { timeout: 120_000 }, (engine) => {
  let demo: EngineDemo;

  beforeAll(async () => {
    demo = await EngineDemo.start(engine);
  });

  afterAll(() => demo?.close());

  /** The messenger signed in as a demo user, once it has rendered. */
  async function messenger(userId: string): Promise<DemoWindow> {
    const page = await demo.newWindow();
    await page.goto(`${page.proxy.url}/demo/messenger.html?user=${userId}`);
    await page.locator('im-chat h2').waitFor();
    return page;
  }

  it('joins the demo group from the landing page’s share link and chats in it', async () => {
    const landing = await demo.newWindow();
    await landing.goto(landing.proxy.url);
    const href = await landing.getByRole('link', { name: 'Join as Carol' }).getAttribute('href');
    expect(href).toMatch(/\?user=carol&im-join=[A-Za-z0-9_-]{32}$/);
    await landing.close();

    const carol = await demo.newWindow();
    await carol.goto(new URL(href!, carol.proxy.url).href);
    const card = carol.getByRole('dialog');
    await card.getByText('im-chat community').waitFor();
    await card.getByText('2 members').waitFor();
    await demo.screenshot(carol, 'join-card');
    await card.getByRole('button', { name: 'Join' }).click();
    await carol.locator('im-message-pane h2').filter({ hasText: 'im-chat community' }).waitFor();
    expect(new URL(await carol.url()).searchParams.has('im-join')).toBe(false);

    await send(carol, 'Hello from Carol!');
    const alice = await messenger('alice');
    await conversation(alice, 'im-chat community').click();
    await eventually(() => texts(alice)).toContain('Hello from Carol!');
    await alice.getByText('Carol joined with an invite link').waitFor();
    await Promise.all([carol.close(), alice.close()]);
  });

  it('makes a group in the UI, shares a copied link, and the other person joins and chats', async () => {
    const bob = await messenger('bob');
    await bob.getByRole('button', { name: 'New group' }).click();
    const create = bob.getByRole('dialog', { name: 'New group' });
    await create.getByLabel('Group name').fill('Weekend hike');
    await create.getByLabel('Description').fill('Trails, times and snacks');
    await create.getByRole('button', { name: 'Create' }).click();
    await bob.locator('im-message-pane h2').filter({ hasText: 'Weekend hike' }).waitFor();
    await send(bob, 'Who is in for Saturday?');

    // One click from the group's header to its invite links.
    await bob.getByRole('button', { name: 'Invite link' }).click();
    const panel = bob.getByRole('dialog', { name: 'Group info' });
    await panel.getByRole('button', { name: 'Create link' }).click();
    await panel.getByRole('button', { name: 'Copy' }).first().click();
    await panel.getByText('Copied').waitFor();
    const shown = await panel.locator('input[id^="link-"]').first().evaluateAll<string>('(els) => els[0].value');
    const readClipboard = () => bob.evaluate<string>('navigator.clipboard.readText()');
    // WebKit lets a page write the clipboard but reads it only from the person's own paste.
    if (engine === 'webkit') await expect(readClipboard()).rejects.toThrow(/not allowed/);
    const copied = engine === 'webkit' ? shown : await readClipboard();
    expect(copied).toBe(shown);
    // The invitation and nothing else: not who shared it.
    expect(copied).toMatch(/\/demo\/messenger\.html\?im-join=[A-Za-z0-9_-]{32}$/);
    await panel.getByRole('button', { name: 'QR code' }).first().click();
    await panel.getByRole('img', { name: 'QR code of the invite link to “Weekend hike”' }).waitFor();
    await demo.screenshot(bob, 'group-panel-links');

    // Dave opens the link in a browser that has never seen the demo: he says who he is, then joins.
    const dave = await demo.newWindow({ width: 390, height: 844 });
    await dave.goto(copied);
    await dave.getByRole('heading', { name: 'You were invited to a group' }).waitFor();
    await demo.screenshot(dave, 'phone-invite-who');
    await dave.getByRole('link', { name: 'Dave' }).click();
    const card = dave.getByRole('dialog');
    await card.getByText('Weekend hike').waitFor();
    await card.getByRole('button', { name: 'Join' }).click();
    await dave.locator('im-message-pane h2').filter({ hasText: 'Weekend hike' }).waitFor();
    expect(new URL(await dave.url()).searchParams.get('user')).toBe('dave');
    await eventually(() => texts(dave)).toContain('Who is in for Saturday?');
    await send(dave, 'Me!');
    await demo.screenshot(dave, 'phone-dave-group');

    await panel.getByRole('button', { name: 'Close' }).first().click();
    await eventually(() => texts(bob)).toContain('Me!');
    await demo.screenshot(bob, 'desktop-bob-group');
  });
});
