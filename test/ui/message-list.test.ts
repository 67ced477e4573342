import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { limits } from '../../src/protocol/index.js';
import type { ImMessageList } from '../../src/ui/im-message-list/im-message-list.js';
import { seedHistory, takingTurns } from '../support/browser/history.js';
import { startServer, stopServer, waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, wheelScroll, type Widget } from '../support/browser/widget.js';
import { pressChord, setViewport } from '../support/browser/input.js';

/** The open conversation's list, its scroller, and what of it is rendered and in view. */
class ListView {
  constructor(private readonly widget: Widget) {}

  get element(): ImMessageList {
    return this.widget.messageList() as ImMessageList;
  }

  get scroller(): HTMLElement {
    return this.element.shadowRoot!.querySelector<HTMLElement>('.scroller')!;
  }

  /** `li` elements in the DOM (rendered, in view or not). */
  rows(selector = 'li.message'): HTMLElement[] {
    return [...this.element.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
  }

  row(seq: number): HTMLElement | null {
    return this.element.shadowRoot!.querySelector<HTMLElement>(`li[data-seq="${seq}"]`);
  }

  /** Whether the element lies within the scroller's viewport (at least partly). */
  inView(element: Element | null): boolean {
    if (!element) return false;
    const view = this.scroller.getBoundingClientRect();
    const rect = element.getBoundingClientRect();
    return rect.bottom > view.top + 1 && rect.top < view.bottom - 1;
  }

  visibleTexts(): string[] {
    return this.rows()
      .filter((row) => this.inView(row))
      .map((row) => row.querySelector('.text')!.textContent!);
  }

  scrollTo(top: number): void {
    wheelScroll(this.scroller, top);
  }

  /**
   * Scrolled to the end, within the list's own slack: WebKit's pin on the newest row may
   * stop a couple of pixels short, which the list counts as the bottom too.
   */
  atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.scroller;
    return scrollHeight - scrollTop - clientHeight <= 4;
  }

  button(selector: string): HTMLButtonElement | null {
    return this.element.shadowRoot!.querySelector<HTMLButtonElement>(selector);
  }
}

const newest = (list: ListView) => list.visibleTexts().at(-1);

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** The element focused inside nested shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The seq of the message that has the focus, or null when no message has it. */
function focusedSeq(): number | null {
  const active = deepActiveElement() as HTMLElement | null;
  return active?.matches('li.message') ? Number(active.dataset['seq']) : null;
}

/** How many presses of `chord` it takes until `reached`; fails after `limit`. */
async function pressesUntil(chord: string, reached: () => boolean, limit = 30): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await pressChord(chord);
    if (reached()) return presses;
  }
  throw new Error(`${chord} ${limit} times did not get there (focus on ${deepActiveElement()?.outerHTML.slice(0, 120)})`);
}

/**
 * Alice with a chat with Bob whose history is `count` messages in her cache only; the
 * server is stopped first, so the history is what the cache says (as after a reload offline).
 */
async function longHistory(count: number, senderOf?: (seq: number, alice: string, bob: string) => string) {
  const { alice, bob, names } = await alicePlusBob();
  const client = alice.element.chatClient!;
  const aliceId = client.user!.id;
  const bobId = bob.element.chatClient!.user!.id;
  const conversationId = await client.startConversation(bobId);
  bob.element.remove();
  await stopServer();
  const turns = takingTurns(aliceId, bobId);
  await seedHistory(client.cache!, {
    conversationId,
    count,
    senderOf: senderOf ? (seq) => senderOf(seq, aliceId, bobId) : turns,
  });
  alice.element.openConversation(conversationId);
  await waitFor(() => alice.openTitle() === names.bob && alice.messageList(), 'the chat to open');
  const list = new ListView(alice);
  await waitFor(() => newest(list) === `message ${count}`, 'the newest message in view').catch((e) => {
    throw new Error(`${e.message} ${JSON.stringify(list.visibleTexts())} ${list.rows().length} ${list.scroller.scrollTop} ${list.scroller.scrollHeight}`);
  });
  return { alice, client, conversationId, list };
}

/** Alice and Bob with `count` real messages from Alice; Bob has the chat open at the bottom. */
async function liveChat(count: number) {
  const { alice, bob, names } = await alicePlusBob();
  const client = alice.element.chatClient!;
  const conversationId = await client.startConversation(bob.element.chatClient!.user!.id);
  for (let i = 1; i <= count; i++) await client.send(conversationId, `message ${i}`);
  await waitFor(async () => (await client.cache!.conversation(conversationId))?.lastSeq === count, 'all acks', 20_000);
  bob.element.openConversation(conversationId);
  await waitFor(() => bob.openTitle() === names.alice && bob.messageList(), 'the chat to open');
  const list = new ListView(bob);
  await waitFor(() => newest(list) === `message ${count}`, 'Bob to see the newest message');
  return { alice: client, bob, conversationId, list };
}

// Both people's widgets in view: the list renders only the rows the page shows.
before(() => setViewport(1000, 1100));
after(() => setViewport(800, 600));

describe('<im-message-list> with long histories', () => {
  afterEach(async () => {
    fixtureCleanup();
    await startServer();
  });

  it('opens 10,000 cached messages at the newest one, with only the rows near the view in the DOM', async () => {
    const { alice, list } = await longHistory(10_000);
    expect(list.rows().length).to.be.below(200);
    await waitFor(() => list.atBottom(), 'the list at its bottom');
    await expect(alice.element).to.be.accessible();
  });

  it('keeps what the reader looks at in place when older messages load above', async () => {
    const { list } = await longHistory(1_000);
    // The list reads the newest page of seqs first.
    const windowStart = 1_000 - limits.historyPageMax + 1;
    expect(list.row(windowStart - 1)).to.equal(null);
    // Scrolling up a little at a time, like a reader, until the next page comes in above;
    // where the first message in view was in the last frame before that is what counts.
    let before = { seq: 0, top: 0 };
    for (let frame = 0; !list.row(windowStart - 1); frame++) {
      if (frame % 3 === 0) list.scrollTo(list.scroller.scrollTop - 150);
      const first = list.rows().find((row) => list.inView(row))!;
      before = { seq: Number(first.dataset.seq), top: first.getBoundingClientRect().top };
      await nextFrame();
    }
    const { seq, top } = before;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(list.row(seq)!.getBoundingClientRect().top).to.be.closeTo(top, 3);
  });

  it('offers a jump to the first unread message, below a "New messages" line', async () => {
    // Alice read up to 9,800; Bob wrote the 200 after that.
    const { list } = await longHistory(10_000, (seq, alice, bob) => (seq > 9_800 ? bob : takingTurns(alice, bob)(seq)));
    const jump = await waitFor(() => list.button('button.jump-unread'), 'the jump button');
    expect(jump.textContent!.trim()).to.equal('Jump to first unread');
    jump.click();
    await waitFor(() => list.inView(list.element.shadowRoot!.querySelector('li.unread-divider')), 'the divider in view');
    // The list may still be settling the row at the top for a frame or two.
    await waitFor(() => list.visibleTexts()[0] === 'message 9801', 'the first unread message at the top');
    expect(list.button('button.jump-unread')).to.equal(null);
  });

  it('reveals an old message that is not loaded, from the cache, and moves with the keyboard', async () => {
    const { list } = await longHistory(10_000);
    expect(list.row(5)).to.equal(null);
    await list.element.revealSeq(5);
    // Reading a far window from a 10,000-message cache takes a while on a busy machine.
    await waitFor(() => list.inView(list.row(5)), 'message 5 in view', 20_000);
    expect(list.row(5)!.classList.contains('highlighted')).to.equal(true);
    expect(list.row(5)!.querySelector('.bubble')!.getAttribute('part')).to.contain('highlight');
    const pill = await waitFor(() => list.button('button.new-messages'), 'a way back to the newest messages');
    expect(pill.textContent!.trim()).to.equal('Jump to latest');

    list.scroller.focus();
    await sendKeys({ press: 'End' });
    await waitFor(() => newest(list) === 'message 10000' && list.atBottom(), 'End to go to the newest message');
    const top = list.scroller.scrollTop;
    await sendKeys({ press: 'PageUp' });
    await waitFor(() => list.scroller.scrollTop < top - 100, 'PageUp to scroll up');
    await sendKeys({ press: 'Home' });
    await waitFor(() => list.visibleTexts()[0] === 'message 1', 'Home to go to the first message');
  });

  it('is one Tab stop: arrows move between messages, and the composer is as many Tabs away in any chat', async function () {
    this.timeout(90_000);
    const tabsFromList = async (count: number) => {
      const { alice, list } = await longHistory(count);
      // Back from the composer into the list, then forward again: the list is one stop.
      alice.composer().focus();
      await pressesUntil('Shift+Tab', () => focusedSeq() !== null);
      expect(focusedSeq()).to.equal(count); // the newest message takes the focus first
      const forward = await pressesUntil('Tab', () => deepActiveElement() === alice.composer());
      return { alice, list, forward };
    };
    const short = await tabsFromList(80);
    fixtureCleanup();
    await startServer();
    const { list, forward } = await tabsFromList(400);
    expect(forward).to.equal(short.forward);
    // The focused message's actions (WebKit stops at its reaction button too), then the
    // composer's buttons (attach, contact, emoji, formatting) before its text box: a few,
    // whatever the chat's length.
    expect(forward).to.be.at.most(8);

    await pressChord('Shift+Tab');
    await pressesUntil('Shift+Tab', () => focusedSeq() !== null);
    await sendKeys({ press: 'ArrowUp' });
    await waitFor(() => focusedSeq() === 399, 'ArrowUp to focus the message before');
    expect(list.row(399)!.matches(':focus-visible')).to.equal(true);
    expect(getComputedStyle(list.row(399)!).outlineStyle).to.equal('solid');
    await sendKeys({ press: 'PageUp' });
    // A page is the messages in view less one: several short ones fit in this list.
    await waitFor(() => (focusedSeq() ?? 399) < 396, 'PageUp to focus a message a page up');
    expect(list.inView(list.row(focusedSeq()!))).to.equal(true);
    await sendKeys({ press: 'Home' });
    await waitFor(() => focusedSeq() === 1 && list.inView(list.row(1)), 'Home to focus the first message');
    await sendKeys({ press: 'ArrowDown' });
    await waitFor(() => focusedSeq() === 2, 'ArrowDown to focus the next message');
    // Scrolled far away with the wheel, its row leaves the DOM; focus stays in the list.
    list.scrollTo(list.scroller.scrollHeight);
    await waitFor(() => list.row(2) === null, 'the focused row dropped by the virtualizer');
    await waitFor(() => list.element.shadowRoot!.activeElement !== null, 'the focus kept in the list');
    await sendKeys({ press: 'ArrowDown' });
    await waitFor(() => focusedSeq() !== null && list.inView(list.row(focusedSeq()!)), 'an arrow to focus a message in view');
    await sendKeys({ press: 'End' });
    await waitFor(() => focusedSeq() === 400, 'End to focus the newest message');

    // Enter opens the focused message's actions.
    await sendKeys({ press: 'Enter' });
    await waitFor(
      () => [...list.element.shadowRoot!.querySelectorAll('im-menu')].some((menu) => menu.shadowRoot!.querySelector('[role="menuitem"]')),
      'the message menu',
    );
    await sendKeys({ press: 'Escape' });
  });
});

/**
 * Scrolls up to the first message, as a reader does: rows that load above the view keep
 * what the reader looks at in place, so reaching the top may take more than one scroll.
 */
const scrollToFirst = (list: ListView) =>
  waitFor(() => list.visibleTexts()[0] === 'message 1' || (list.scrollTo(0), false), 'the top of the conversation');

describe('<im-message-list> as messages arrive', () => {
  afterEach(() => fixtureCleanup());

  it('stays at the bottom when a message arrives there, and shows a pill when scrolled up', async () => {
    const { alice, conversationId, list } = await liveChat(35);
    await alice.send(conversationId, 'while at the bottom');
    await waitFor(() => newest(list) === 'while at the bottom' && list.atBottom(), 'the new message at the bottom');

    await scrollToFirst(list);
    await alice.send(conversationId, 'one');
    await alice.send(conversationId, 'two');
    const pill = await waitFor(() => {
      const button = list.button('button.new-messages');
      return button?.textContent?.trim() === '2 new messages' ? button : null;
    }, 'the pill with two new messages');
    expect(pill.closest('[role="status"]')).to.not.equal(null);
    expect(list.visibleTexts()[0]).to.equal('message 1');
    pill.click();
    await waitFor(() => newest(list) === 'two' && list.atBottom(), 'the newest message at the bottom');
    await waitFor(() => list.button('button.new-messages') === null, 'the pill to go');
  });

  it('scrolls to the bottom when the user sends, even when scrolled up', async () => {
    const { bob, list } = await liveChat(35);
    await scrollToFirst(list);
    await bob.send('my answer');
    await waitFor(() => newest(list) === 'my answer' && list.atBottom(), 'the sent message at the bottom');
  });

  it('reveals a message the cache no longer has, fetching it from the server', async () => {
    const { bob, conversationId, list } = await liveChat(35);
    const cache = bob.element.chatClient!.cache!;
    // As if the browser had evicted the older part of the cache.
    await cache.db.messages
      .where('[conversationId+seq]')
      .between([conversationId, 1], [conversationId, 29], true, true)
      .delete();
    expect(await cache.countRange(conversationId, 1, 35)).to.equal(6);
    await list.element.revealSeq(3);
    await waitFor(() => list.inView(list.row(3)), 'message 3 in view');
    expect(list.row(3)!.classList.contains('highlighted')).to.equal(true);
    expect(await cache.countRange(conversationId, 1, 35)).to.equal(35);
  });
});
