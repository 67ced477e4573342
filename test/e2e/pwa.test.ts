/**
 * The demo's messenger as an installable app (Chromium): its web app manifest and icons,
 * the service worker that starts it with no network from the widget's cache, and the
 * unread count on the app icon through the Badging API.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBrowser, conversationItem as conversation, sendMessage as send } from '../support/node/demo-browser.js';

let demo: DemoBrowser;

beforeAll(async () => {
  demo = await DemoBrowser.start();
});

afterAll(() => demo?.close());

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/**
 * The messenger with the Badging API recorded: the page's calls are what an installed
 * app's icon would show (a browser tab has no icon to badge).
 */
async function messengerWithBadge(userId: string): Promise<Page> {
  const page = await demo.newPage({ width: 390, height: 760 });
  // A string: this file is compiled without the DOM's types.
  await page.addInitScript(`
    window.badgeCalls = [];
    Navigator.prototype.setAppBadge = async (count) => void badgeCalls.push(count ?? 0);
    Navigator.prototype.clearAppBadge = async () => void badgeCalls.push(null);
  `);
  await page.goto(`${demo.server.url}/demo/messenger.html?user=${userId}`);
  await page.locator('im-chat h1').waitFor();
  return page;
}

const badgeCalls = (page: Page) => page.evaluate<(number | null)[]>('badgeCalls');

describe('the messenger as an installed app', { timeout: 90_000 }, () => {
  it('has a manifest with a start page, standalone display and icons for the home screen', async () => {
    const page = await demo.messenger('carol');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(href!, page.url());
    const manifest = (await (await fetch(manifestUrl)).json()) as { icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ name: 'im-chat messenger', display: 'standalone', start_url: '/demo/messenger.html' });
    const sizes: string[] = [];
    for (const icon of manifest.icons) {
      const response = await fetch(new URL(icon.src, manifestUrl));
      expect(response.headers.get('content-type')).toBe('image/png');
      const [width, height] = pngSize(Buffer.from(await response.arrayBuffer()));
      expect(`${width}x${height}`).toBe(icon.sizes);
      sizes.push(icon.sizes);
    }
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    await page.context().close();
  });

  it('shows the unread count on the app icon and clears it once read', async () => {
    const bob = await messengerWithBadge('bob');
    const alice = await demo.messenger('alice');
    await alice.getByRole('button', { name: 'New chat' }).click();
    await alice.getByRole('dialog').getByRole('button', { name: 'Bob' }).click();
    await send(alice, 'Badge me');
    await send(alice, 'Twice');
    await expect.poll(() => badgeCalls(bob)).toContain(2);
    await conversation(bob, 'Alice').click();
    await expect.poll(async () => (await badgeCalls(bob)).at(-1)).toBe(null);
    await alice.context().close();
    await bob.context().close();
  });

  it('starts with no network from the start page and shows the cached conversations', async () => {
    const dave = await demo.messenger('dave');
    const carol = await demo.messenger('carol');
    await carol.getByRole('button', { name: 'New chat' }).click();
    await carol.getByRole('dialog').getByRole('button', { name: 'Dave' }).click();
    await send(carol, 'See you offline');
    await conversation(dave, 'Carol').locator('.preview', { hasText: 'See you offline' }).waitFor();
    // The app shell is cached once the worker controls the page.
    await dave.evaluate(`(async () => {
      await navigator.serviceWorker.ready;
      if (navigator.serviceWorker.controller) return;
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    })()`);

    await dave.context().setOffline(true);
    await dave.goto(`${demo.server.url}/demo/messenger.html`); // the manifest's start_url: no user in it
    await conversation(dave, 'Carol').locator('.preview', { hasText: 'See you offline' }).waitFor();
    await dave.locator('im-connection-status', { hasText: 'Offline' }).waitFor();
    await dave.context().close();
    await carol.context().close();
  });
});
