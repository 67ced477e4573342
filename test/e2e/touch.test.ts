/**
 * The demo on a phone's touch screen, in each engine whose driver can put a finger on the
 * page (Chromium's touch emulation, Firefox's WebDriver BiDi touch actions): a tap opens
 * a chat without the keyboard, a long press opens a message's menu, a swipe replies, the
 * composer and the newest message stay in view when the keyboard takes room, and the
 * support launcher keeps clear of the screen's safe area. WebKitGTK's driver has no
 * touch input (its touch actions arrive as a mouse): there each journey checks what the
 * widget does for that engine's mouse user instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineDemo, conversationItem as conversation, sendMessage as send, type DemoWindow } from '../support/node/engine-demo.js';
import { selectedEngines } from '../support/node/engines.js';
import type { Locator } from '../support/node/page-query.js';

const phone = { width: 390, height: 760 };
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });

/** The element with the keyboard focus, through shadow roots (its tag name). */
const focused = (page: DemoWindow) =>
  page.evaluate<string>(`(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.tagName ?? '';
  })()`);

const messages = (page: DemoWindow) => page.locator('im-message-list li.message');

/** The middle of an element, and its left edge. */
async function middle(locator: Locator): Promise<{ x: number; y: number; left: number }> {
  await locator.waitFor();
  const box = (await locator.boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, left: box.x };
}

/** The middle of a message's bubble, by its text. */
const bubbleMiddle = (page: DemoWindow, text: string) => middle(messages(page).filter({ hasText: text }).locator('.bubble'));

/** A finger's tap on an element; a click where the engine has no touch input. */
async function tap(locator: Locator): Promise<void> {
  if (!locator.page.touch) return locator.click();
  const { x, y } = await middle(locator);
  await locator.page.touchDown(x, y);
  await locator.page.touchUp();
}

/** A finger held on a point for `ms`, wobbling a little as a real one does. */
async function longPress(page: DemoWindow, at: { x: number; y: number }, ms = 800): Promise<void> {
  await page.touchDown(at.x, at.y);
  await page.touchMove(at.x + 3, at.y + 2);
  await new Promise((resolve) => setTimeout(resolve, ms));
  await page.touchUp();
}

/** A finger put down at `from` and drawn to `to` in small steps; lifted unless `lift: false`. */
async function drag(page: DemoWindow, from: { x: number; y: number }, to: { x: number; y: number }, { lift = true } = {}) {
  await page.touchDown(from.x, from.y);
  const steps = 12;
  for (let step = 1; step <= steps; step++) {
    await page.touchMove(from.x + ((to.x - from.x) * step) / steps, from.y + ((to.y - from.y) * step) / steps);
  }
  if (lift) await page.touchUp();
}

/** What the composer says it replies to, if anything. */
const replyingTo = async (page: DemoWindow) => (await page.locator('im-composer .context-text').allTextContents()).join('');

describe.each(selectedEngines())('the messenger on a phone, in %s', { timeout: 120_000 }, (engine) => {
  let demo: EngineDemo;
  let alice: DemoWindow;
  let bob: DemoWindow;

  beforeAll(async () => {
    demo = await EngineDemo.start(engine);
  });

  afterAll(() => demo?.close());

  async function messenger(userId: string, viewport = { width: 1280, height: 800 }, touch = false): Promise<DemoWindow> {
    const page = await demo.newWindow(viewport, { touch });
    await page.goto(`${page.proxy.url}/demo/messenger.html?user=${userId}`);
    await page.locator('im-chat').getByRole('heading').first().waitFor();
    return page;
  }

  it('opens a chat with a tap and leaves the keyboard down (with a mouse, the composer is ready)', async () => {
    bob = await messenger('bob');
    await bob.getByRole('button', { name: 'New chat' }).click();
    await bob.getByRole('dialog').getByRole('button', { name: 'Alice' }).click();
    for (let i = 1; i <= 30; i++) await send(bob, `Message ${i} from Bob`);
    expect(await focused(bob)).toBe('TEXTAREA'); // with a mouse, the composer is ready

    alice = await messenger('alice', phone, true);
    expect(alice.touch).toBe(engine !== 'webkit');
    await tap(conversation(alice, 'Bob'));
    await messages(alice).last().getByText('Message 30 from Bob').waitFor();
    expect(await focused(alice)).toBe(alice.touch ? 'BODY' : 'TEXTAREA');

    await tap(alice.getByRole('textbox', { name: 'Message' }));
    await eventually(() => focused(alice)).toBe('TEXTAREA');
  });

  it('keeps the composer and the newest message in view when the keyboard takes half the screen', async () => {
    const { height } = await alice.setViewport({ width: phone.width, height: 400 });
    expect(height).toBe(400);
    const composer = alice.getByRole('textbox', { name: 'Message' });
    await eventually(async () => {
      const box = (await composer.boundingBox())!;
      return box.y + box.height;
    }).toBeLessThanOrEqual(400);
    // The list follows the view down once it has laid out again.
    await eventually(async () => {
      const newest = (await messages(alice).last().boundingBox())!;
      const composerTop = (await composer.boundingBox())!.y;
      return newest.y >= 0 && newest.y + newest.height <= composerTop;
    }).toBe(true);
    await alice.setViewport(phone);
  });

  it('replies to a message swiped to the side, which follows the finger; a short swipe does not (with a mouse: from its menu)', async () => {
    if (!alice.touch) {
      // Swiping needs a finger: a mouse user replies from the message's menu (right click).
      await messages(alice).filter({ hasText: 'Message 29 from Bob' }).locator('.bubble').click({ button: 'right' });
      await alice.getByRole('menuitem', { name: 'Reply' }).click();
      await eventually(() => replyingTo(alice)).toContain('Message 29 from Bob');
      await alice.getByRole('textbox', { name: 'Message' }).press('Escape');
      await eventually(() => replyingTo(alice)).toBe('');
      return;
    }
    const start = await bubbleMiddle(alice, 'Message 29 from Bob');
    await drag(alice, start, { x: start.x + 90, y: start.y + 4 }, { lift: false });
    // The message follows the finger while it is down.
    expect((await bubbleMiddle(alice, 'Message 29 from Bob')).left).toBeGreaterThan(start.left + 40);
    await alice.touchUp();
    await eventually(() => replyingTo(alice)).toContain('Message 29 from Bob');
    await eventually(async () => (await bubbleMiddle(alice, 'Message 29 from Bob')).left).toBeCloseTo(start.left, 0);
    await alice.getByRole('textbox', { name: 'Message' }).press('Escape'); // no reply after all

    await eventually(() => replyingTo(alice)).toBe('');
    const short = await bubbleMiddle(alice, 'Message 28 from Bob');
    await drag(alice, short, { x: short.x + 30, y: short.y });
    expect(await replyingTo(alice)).toBe('');
  });

  it('opens a message’s menu with a long press (with a mouse: a right click), and replies from it', async () => {
    const bubble = messages(alice).filter({ hasText: 'Message 30 from Bob' }).locator('.bubble');
    if (alice.touch) await longPress(alice, await middle(bubble));
    else await bubble.click({ button: 'right' });
    await tap(alice.getByRole('menuitem', { name: 'Reply' }));
    await send(alice, 'Replying from my phone');
    const reply = messages(bob).last();
    await eventually(() => reply.locator('.text').allTextContents()).toEqual(['Replying from my phone']);
    expect(await reply.locator('.quote-text').textContent()).toContain('Message 30 from Bob');
  });

  it('leaves a swipe up or down to the list’s scrolling, and replies to nothing', async () => {
    // Rows leave vertical panning (and zoom) to the browser, in every engine.
    const row = messages(alice).filter({ hasText: 'Message 27 from Bob' });
    expect(await row.evaluateAll<string>('(els) => getComputedStyle(els[0]).touchAction')).toBe('pan-y pinch-zoom');
    if (!alice.touch) return; // no finger in WebKit's driver: what remains is a finger's
    const scrollTop = () => alice.locator('im-message-list .scroller').evaluateAll<number>('(els) => els[0].scrollTop');
    const before = await scrollTop();
    const from = await bubbleMiddle(alice, 'Message 27 from Bob');
    await drag(alice, from, { x: from.x + 12, y: from.y + 200 });
    expect(await replyingTo(alice)).toBe('');
    // Only Chromium's emulated finger pans the page: Firefox's touch actions send the
    // events (the swipe above replied) but the headless browser does not scroll for them.
    if (engine === 'chromium') await eventually(scrollTop).toBeLessThan(before - 100);
    else expect(await scrollTop()).toBe(before);
    await eventually(async () => (await bubbleMiddle(alice, 'Message 27 from Bob')).left).toBeCloseTo(from.left, 0);
  });

  it('keeps the support launcher clear of the safe area at the bottom of the screen', async () => {
    const page = await demo.newWindow(phone, { touch: true });
    // Only Chromium can emulate a screen with rounded corners; elsewhere there is no inset.
    const inset = (await page.cdp('Emulation.setSafeAreaInsetsOverride', { insets: { bottom: 34, bottomMax: 34 } })) ? 34 : 0;
    await page.goto(`${page.proxy.url}/demo/shop/`);
    const launcher = page.locator('im-chat [part="launcher"]');
    await launcher.waitFor();
    const box = (await launcher.boundingBox())!;
    const height = await page.evaluate<number>('innerHeight');
    expect(height - (box.y + box.height)).toBe(20 + inset);
    await page.close();
  });
});
