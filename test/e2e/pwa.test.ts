/**
 * The demo's messenger as an installable app, in each engine: its web app manifest and
 * icons, the service worker that starts it with no network from the widget's cache, and
 * the unread count on the app icon through the Badging API. Where an engine lacks a part
 * (no Badging API outside Chromium), the test checks what the page does instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDemo, conversationItem as conversation, sendMessage as send, type DemoWindow } from '../support/node/engine-demo.js';
import { selectedEngines } from '../support/node/engines.js';

/** Width and height from a PNG's header. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });

/**
 * Records the page's Badging API calls where the engine has the API: they are what an
 * installed app's icon would show (a browser tab has no icon to badge).
 */
const recordBadge = `
  window.badgeCalls = [];
  window.hasBadgingApi = 'setAppBadge' in Navigator.prototype;
  if (hasBadgingApi) {
    Navigator.prototype.setAppBadge = async (count) => void badgeCalls.push(count ?? 0);
    Navigator.prototype.clearAppBadge = async () => void badgeCalls.push(null);
  }
`;

describe.each(selectedEngines())('the messenger as an installed app, in %s', { timeout: 120_000 }, (engine) => {
  let demo: EngineDemo;

  beforeAll(async () => {
    demo = await EngineDemo.start(engine);
  });

  afterAll(() => demo?.close());

  async function messenger(userId: string, setUp: (page: DemoWindow) => void = () => {}): Promise<DemoWindow> {
    const page = await demo.newWindow({ width: 390, height: 760 });
    setUp(page);
    await page.goto(`${page.proxy.url}/demo/messenger.html?user=${userId}`);
    await page.locator('im-chat h2').waitFor();
    return page;
  }

  it('has a manifest with a start page, standalone display and icons for the home screen', async () => {
    const page = await messenger('carol');
    const href = await page.evaluate<string | null>(`document.querySelector('link[rel="manifest"]')?.getAttribute('href') ?? null`);
    const manifestUrl = new URL(href!, await page.url());
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
    await page.close();
  });

  it('shows the unread count on the app icon where the Badging API exists, and in the title everywhere', async () => {
    const bob = await messenger('bob', (page) => page.proxy.injectScript(recordBadge));
    const alice = await messenger('alice');
    await alice.getByRole('button', { name: 'New chat' }).click();
    await alice.getByRole('dialog').getByRole('button', { name: 'Bob' }).click();
    await send(alice, 'Badge me');
    await send(alice, 'Twice');
    await eventually(() => bob.evaluate<string>('document.title')).toMatch(/^\(2\) /);
    const badged = await bob.evaluate<boolean>('hasBadgingApi');
    // Chromium has the Badging API; Firefox and WebKitGTK have none, and the page skips the call.
    expect(badged).toBe(engine === 'chromium');
    if (badged) await eventually(() => bob.evaluate<(number | null)[]>('badgeCalls')).toContain(2);
    await conversation(bob, 'Alice').click();
    await eventually(() => bob.evaluate<string>('document.title')).not.toMatch(/^\(\d+\) /);
    if (badged) await eventually(async () => (await bob.evaluate<(number | null)[]>('badgeCalls')).at(-1)).toBe(null);
    else expect(await bob.evaluate<unknown[]>('badgeCalls')).toEqual([]);
    await alice.close();
    await bob.close();
  });

  it('starts with no network from the start page and shows the cached conversations', async () => {
    const dave = await messenger('dave');
    const carol = await messenger('carol');
    await carol.getByRole('button', { name: 'New chat' }).click();
    await carol.getByRole('dialog').getByRole('button', { name: 'Dave' }).click();
    await send(carol, 'See you offline');
    await conversation(dave, 'Carol').locator('.preview', { text: 'See you offline' }).waitFor();
    // The app shell is cached once the worker controls the page.
    await dave.evaluate(`(async () => {
      await navigator.serviceWorker.ready;
      if (navigator.serviceWorker.controller) return;
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    })()`);

    dave.proxy.offline();
    await dave.goto(`${dave.proxy.url}/demo/messenger.html`); // the manifest's start_url: no user in it
    await conversation(dave, 'Carol').locator('.preview', { text: 'See you offline' }).waitFor();
    await dave.locator('im-connection-status').filter({ hasText: 'Offline' }).waitFor();
    await dave.close();
    await carol.close();
  });
});
