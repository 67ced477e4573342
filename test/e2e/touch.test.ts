/**
 * The demo on a phone's touch screen (Chromium's touch emulation at a phone's size): a tap
 * opens a chat without the keyboard, a long press opens a message's menu, the composer
 * and the newest message stay in view when the keyboard takes room, and the support
 * launcher keeps clear of the screen's safe area.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBrowser, conversationItem as conversation, sendMessage as send } from '../support/node/demo-browser.js';

let demo: DemoBrowser;
const phone = { width: 390, height: 760 };

beforeAll(async () => {
  demo = await DemoBrowser.start();
});

afterAll(() => demo?.close());

/** The element with the keyboard focus, through shadow roots (its tag name). */
const focused = (page: Page) =>
  page.evaluate<string>(`(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.tagName ?? '';
  })()`);

/** A finger held on a point for `ms`, wobbling a little as a real one does. */
async function longPress(page: Page, x: number, y: number, ms = 800): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: x + 3, y: y + 2 }] });
  await page.waitForTimeout(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

const messages = (page: Page) => page.locator('im-message-list li.message');

/**
 * A finger put down at `from` and drawn to `to` in small steps, then lifted (`lift: false`
 * keeps it down). Returns what to call to lift it later.
 */
async function drag(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
  { lift = true } = {},
): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [from] });
  const steps = 12;
  for (let step = 1; step <= steps; step++) {
    const at = { x: from.x + ((to.x - from.x) * step) / steps, y: from.y + ((to.y - from.y) * step) / steps };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at] });
  }
  const up = async () => void (await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] }));
  if (lift) await up();
  return up;
}

/** The middle of a message's bubble, by its text. */
async function bubbleMiddle(page: Page, text: string): Promise<{ x: number; y: number; left: number }> {
  const box = (await messages(page).filter({ hasText: text }).locator('.bubble').boundingBox())!;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, left: box.x };
}

/** What the composer says it replies to, if anything. */
const replyingTo = async (page: Page) => (await page.locator('im-composer .context-text').allTextContents()).join('');

describe('the messenger on a touch phone', { timeout: 90_000 }, () => {
  let alice: Page;
  let bob: Page;

  it('opens a chat with a tap and leaves the keyboard down; typing is a tap on the composer away', async () => {
    bob = await demo.messenger('bob');
    await bob.getByRole('button', { name: 'New chat' }).click();
    await bob.getByRole('dialog').getByRole('button', { name: 'Alice' }).click();
    for (let i = 1; i <= 30; i++) await send(bob, `Message ${i} from Bob`);
    expect(await focused(bob)).toBe('TEXTAREA'); // with a mouse, the composer is ready

    alice = await demo.messenger('alice', phone, { touch: true });
    await conversation(alice, 'Bob').tap();
    await messages(alice).last().getByText('Message 30 from Bob').waitFor();
    expect(await focused(alice)).not.toBe('TEXTAREA');

    await alice.getByRole('textbox', { name: 'Message' }).tap();
    expect(await focused(alice)).toBe('TEXTAREA');
  });

  it('keeps the composer and the newest message in view when the keyboard takes half the screen', async () => {
    await alice.setViewportSize({ width: phone.width, height: 400 });
    const composer = alice.getByRole('textbox', { name: 'Message' });
    await expect.poll(async () => (await composer.boundingBox())!.y + (await composer.boundingBox())!.height).toBeLessThanOrEqual(400);
    const newest = await messages(alice).last().boundingBox();
    const composerTop = (await composer.boundingBox())!.y;
    expect(newest!.y).toBeGreaterThanOrEqual(0);
    expect(newest!.y + newest!.height).toBeLessThanOrEqual(composerTop);
    await alice.setViewportSize(phone);
  });

  it('replies to a message swiped to the side, which follows the finger; a short swipe does not', async () => {
    const start = await bubbleMiddle(alice, 'Message 29 from Bob');
    const lift = await drag(alice, start, { x: start.x + 90, y: start.y + 4 }, { lift: false });
    // The message follows the finger while it is down.
    expect((await bubbleMiddle(alice, 'Message 29 from Bob')).left).toBeGreaterThan(start.left + 40);
    await lift();
    await expect.poll(() => replyingTo(alice)).toContain('Message 29 from Bob');
    await expect.poll(async () => (await bubbleMiddle(alice, 'Message 29 from Bob')).left).toBeCloseTo(start.left, 0);
    await alice.getByRole('textbox', { name: 'Message' }).press('Escape'); // no reply after all

    await expect.poll(() => replyingTo(alice)).toBe('');
    const short = await bubbleMiddle(alice, 'Message 28 from Bob');
    await drag(alice, short, { x: short.x + 30, y: short.y });
    expect(await replyingTo(alice)).toBe('');
  });

  it('opens a message’s menu with a long press, and replies from it', async () => {
    const box = (await messages(alice).filter({ hasText: 'Message 30 from Bob' }).locator('.bubble').boundingBox())!;
    await longPress(alice, box.x + box.width / 2, box.y + box.height / 2);
    await alice.getByRole('menuitem', { name: 'Reply' }).tap();
    await send(alice, 'Replying from my phone');
    const reply = messages(bob).last();
    await expect.poll(() => reply.locator('.text').textContent()).toBe('Replying from my phone');
    expect(await reply.locator('.quote-text').textContent()).toContain('Message 30 from Bob');
  });

  it('scrolls the list with a swipe up or down, and replies to nothing', async () => {
    const scroller = alice.locator('im-message-list .scroller');
    const scrollTop = () => scroller.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
    const before = await scrollTop();
    const from = await bubbleMiddle(alice, 'Message 27 from Bob');
    await drag(alice, from, { x: from.x + 12, y: from.y + 200 });
    await expect.poll(scrollTop).toBeLessThan(before - 100);
    expect(await replyingTo(alice)).toBe('');
  });
});

describe('the support bubble on a phone with rounded corners', { timeout: 60_000 }, () => {
  it('keeps its launcher clear of the safe area at the bottom of the screen', async () => {
    const page = await demo.newPage(phone, { touch: true });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setSafeAreaInsetsOverride' as never, { insets: { bottom: 34, bottomMax: 34 } } as never);
    await page.goto(`${demo.server.url}/demo/shop/`);
    const launcher = page.locator('im-chat [part="launcher"]');
    const box = (await launcher.boundingBox())!;
    expect(phone.height - (box.y + box.height)).toBe(20 + 34);
  });
});
