/**
 * Screenshots of the messenger in Arabic and Hebrew, at desktop and phone widths, checked
 * by what their pixels show rather than against reference images (fonts and anti-aliasing
 * differ between engines): own bubbles on the left, others' on the right, the send arrow
 * pointing left, the back arrow pointing right, the list and its avatars on the right.
 * With IM_SCREENSHOT_DIR set, the runner also keeps the PNGs there for a person to look at.
 */
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import type { ImChat } from '../../src/ui/index.js';
import { online, signIn, stopAllClients, timeline } from '../support/browser/chat-clients.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { screenshot, setViewport, type Rgb, type Screenshot } from '../support/browser/input.js';
import { Widget, allInShadow, inShadow } from '../support/browser/widget.js';

const widths = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const conversations = {
  ar: { mine: ['مرحبا يا بوب، هل وصل الطرد؟', 'شكرا جزيلا!'], theirs: ['نعم، وصل صباح اليوم.', 'سأرسل الصور لاحقا.'] },
  he: { mine: ['היי בוב, החבילה הגיעה?', 'תודה רבה!'], theirs: ['כן, היא הגיעה הבוקר.', 'אשלח תמונות אחר כך.'] },
} as const;

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

/** A CSS colour as painted: sRGB channels 0–255. */
function rgb(color: string): Rgb {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = color;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r!, g!, b!];
}

const distance = (a: Rgb, b: Rgb) => Math.max(Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2]));

/**
 * Where the pixels of `color` lie across `rect`: how many, and how far the leftmost and
 * the rightmost are from its left and right edges (a bubble is anchored to the nearer one).
 */
function spread(shot: Screenshot, rect: DOMRect, color: Rgb): { count: number; fromLeft: number; fromRight: number } {
  let [count, leftmost, rightmost] = [0, Infinity, -Infinity];
  for (const { x, color: painted } of shot.pixels(rect)) {
    if (distance(painted, color) > 4) continue;
    count++;
    leftmost = Math.min(leftmost, x);
    rightmost = Math.max(rightmost, x);
  }
  return { count, fromLeft: Math.round(leftmost - rect.left), fromRight: Math.round(rect.right - rightmost) };
}

/**
 * Which way an arrow glyph points, by where its ink lies: `heavy` is the side of its box
 * with more of the glyph's pixels (those nearer its colour than the background's).
 */
function inkSides(shot: Screenshot, rect: DOMRect, ink: Rgb, background: Rgb): { left: number; right: number } {
  const glyph = [...shot.pixels(rect)].filter(({ color }) => distance(color, ink) < distance(color, background));
  expect(glyph.length, 'the glyph’s pixels').to.be.greaterThan(10);
  const xs = glyph.map(({ x }) => x);
  const [from, to] = [Math.min(...xs), Math.max(...xs)];
  const third = (to - from) / 3;
  return {
    left: glyph.filter(({ x }) => x <= from + third).length,
    right: glyph.filter(({ x }) => x >= to - third).length,
  };
}

/** The colour behind an element: the first opaque background up the tree, through shadow roots. */
function backgroundBehind(element: Element): Rgb {
  for (let current: Element | null = element; current; ) {
    const { backgroundColor } = getComputedStyle(current);
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d')!;
    context.fillStyle = backgroundColor;
    context.fillRect(0, 0, 1, 1);
    if (context.getImageData(0, 0, 1, 1).data[3] === 255) return rgb(backgroundColor);
    current = current.parentElement ?? ((current.getRootNode() as ShadowRoot).host || null);
  }
  return [255, 255, 255];
}

/** Alice's messenger filling the page, in `lang`, with a chat with Bob: two messages each way. */
async function messenger(lang: 'ar' | 'he') {
  const bobId = uniqueUser('bob');
  const aliceId = uniqueUser('alice');
  const bob = await signIn(bobId, { token: await tokenFor(bobId, { name: lang === 'ar' ? 'بوب' : 'בוב' }) });
  await online(bob);
  const element = await fixture<ImChat>(html`<im-chat
    server=${await serverUrl()}
    token=${await tokenFor(aliceId, { name: 'Alice' })}
    lang=${lang}
    theme="light"
    style="position: fixed; top: 0; left: 0; z-index: 1"
  ></im-chat>`);
  await waitFor(() => element.chatClient?.status === 'online', 'Alice online', 15_000);
  const alice = element.chatClient!;
  const conversationId = await alice.startConversation(bobId);
  const { mine, theirs } = conversations[lang];
  for (const [index, text] of mine.entries()) {
    await alice.send(conversationId, text);
    await waitFor(async () => (await timeline(bob, conversationId)).length > 2 * index, 'Bob to get it');
    await bob.send(conversationId, theirs[index]!);
    await waitFor(async () => (await timeline(alice, conversationId)).length > 2 * index + 1, 'Alice to get the answer');
  }
  element.openConversation(conversationId);
  const widget = new Widget(element);
  await waitFor(
    () => {
      const rows = allInShadow(widget.messageList() ?? element, 'li.message');
      return rows.length === 4 && rows.every((row) => row.classList.contains('sent'));
    },
    'the four messages shown',
  );
  // A reply being written: with text, the composer's button is Send (its arrow is checked below).
  const input = await waitFor(() => inShadow<HTMLTextAreaElement>(element, 'im-message-pane', 'im-composer', 'textarea'), 'the composer');
  input.value = lang === 'ar' ? 'حسنًا' : 'בסדר';
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
  await waitFor(() => inShadow(element, 'im-message-pane', 'im-composer', 'button[part~="send-button"]'), 'the send button');
  return { element, widget };
}

/**
 * The page and the widget at a width (WebKit's window has a minimum width, so the widget
 * gets the size itself), then a few frames and the list's settling.
 */
async function resize(element: ImChat, { width, height }: { width: number; height: number }): Promise<void> {
  await setViewport(width, height);
  element.style.width = `${width}px`;
  element.style.setProperty('--im-height', `${height}px`);
  await settle();
}

/** Lets the layout follow a change: a few frames and the list's settling. */
async function settle(): Promise<void> {
  for (let frame = 0; frame < 5; frame++) await nextFrame();
  await new Promise((resolve) => setTimeout(resolve, 300));
}

function checkConversation(shot: Screenshot, element: ImChat, widget: Widget): string[] {
  const problems: string[] = [];
  const list = widget.messageList()!;
  const listRect = list.getBoundingClientRect();
  const own = rgb(getComputedStyle(list.shadowRoot!.querySelector('li.message.own .bubble')!).backgroundColor);
  const other = rgb(getComputedStyle(list.shadowRoot!.querySelector('li.message.other .bubble')!).backgroundColor);

  const mine = spread(shot, listRect, own);
  if (mine.count < 200 || !(mine.fromLeft < 40 && mine.fromRight > 2 * mine.fromLeft)) {
    problems.push(`own bubbles (${own}): ${mine.count} pixels, ${mine.fromLeft}px from the list's left, ${mine.fromRight}px from its right`);
  }
  const theirs = spread(shot, listRect, other);
  if (theirs.count < 200 || !(theirs.fromRight < 40 && theirs.fromLeft > 2 * theirs.fromRight)) {
    problems.push(`others' bubbles (${other}): ${theirs.count} pixels, ${theirs.fromLeft}px from the list's left, ${theirs.fromRight}px from its right`);
  }

  // The send arrow is a triangle: in right-to-left its broad base is on the right, its tip on the left.
  const send = inShadow(element, 'im-message-pane', 'im-composer', 'button[part~="send-button"]')!;
  const sendSides = inkSides(shot, send.querySelector('svg')!.getBoundingClientRect(), rgb(getComputedStyle(send).color), rgb(getComputedStyle(send).backgroundColor));
  if (!(sendSides.right > sendSides.left * 1.5)) problems.push(`the send arrow's ink left/right: ${sendSides.left}/${sendSides.right} (it should point left)`);
  return problems;
}

describe('right-to-left screenshots', function () {
  this.timeout(180_000);

  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    await setViewport(800, 600);
  });

  for (const lang of ['ar', 'he'] as const) {
    it(`shows the messenger in ${lang === 'ar' ? 'Arabic' : 'Hebrew'} mirrored, at desktop and phone widths`, async () => {
      const { element, widget } = await messenger(lang);
      const problems: string[] = [];

      // Desktop: the list on the right of the screen, the open conversation on its left.
      await resize(element, widths[0]);
      let shot = await screenshot(`${lang}-${widths[0].name}-conversation`);
      problems.push(...checkConversation(shot, element, widget).map((problem) => `desktop: ${problem}`));
      problems.push(...checkList(shot, element).map((problem) => `desktop: ${problem}`));

      // Phone: one screen at a time; the conversation with a back arrow pointing right.
      await resize(element, widths[1]);
      shot = await screenshot(`${lang}-${widths[1].name}-conversation`);
      problems.push(...checkConversation(shot, element, widget).map((problem) => `phone: ${problem}`));
      const back = inShadow(element, 'im-message-pane', '.header button.back')!;
      const backRect = back.querySelector('svg')!.getBoundingClientRect();
      if (backRect.width === 0) problems.push('phone: no back button');
      else {
        // The back arrow's head is its heavy side: on the right, pointing right.
        const sides = inkSides(shot, backRect, rgb(getComputedStyle(back).color), backgroundBehind(back));
        if (!(sides.right > sides.left * 1.5)) problems.push(`phone: the back arrow's ink left/right: ${sides.left}/${sides.right} (it should point right)`);
        const { width } = element.getBoundingClientRect();
        if (backRect.left < width / 2) problems.push(`phone: the back button at x=${backRect.left} of ${width}, not at the right`);
      }

      back.click();
      await waitFor(() => inShadow(element, 'im-conversation-list')?.getBoundingClientRect().width, 'the list');
      await settle();
      shot = await screenshot(`${lang}-${widths[1].name}-list`);
      problems.push(...checkList(shot, element).map((problem) => `phone: ${problem}`));

      expect(problems).to.deep.equal([]);
    });
  }
});

/** The conversation list at the right of the screen, each row's avatar at the row's right end. */
function checkList(shot: Screenshot, element: ImChat): string[] {
  const problems: string[] = [];
  const list = inShadow(element, 'im-conversation-list')!;
  const listRect = list.getBoundingClientRect();
  const { right } = element.getBoundingClientRect();
  if (listRect.right < right - 2) problems.push(`the list ends at x=${listRect.right}, the widget at ${right}`);
  const row = allInShadow(element, 'im-conversation-list', 'button.item')[0]!;
  const rowRect = row.getBoundingClientRect();
  const initials = row.querySelector('im-avatar')!.shadowRoot!.querySelector('.initials')!;
  const avatar = rgb(getComputedStyle(initials).backgroundColor);
  const face = spread(shot, rowRect, avatar);
  if (face.count < 100 || !(face.fromRight < 30 && face.fromLeft > rowRect.width / 2)) {
    problems.push(`the row's avatar (${avatar}): ${face.count} pixels, ${face.fromLeft}px from the row's left, ${face.fromRight}px from its right`);
  }
  return problems;
}
