import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { io } from 'socket.io-client';
import { ChatClient } from '../../src/client/index.js';
import { online, signIn, stopAllClients, texts, track } from '../support/browser/chat-clients.js';
import {
  serverUrl,
  startServer,
  stopServer,
  tokenFor,
  uniqueUser,
  waitFor,
} from '../support/browser/im-server.js';
import { Widget, allInShadow, inShadow, mount } from '../support/browser/widget.js';
import { pressChord } from '../support/browser/input.js';

/** What one search result shows. */
interface ShownResult {
  conversation: string;
  excerpt: string;
  marked: string[];
  active: boolean;
}

function shownResults(widget: Widget): ShownResult[] {
  return allInShadow(widget.element, 'im-search', '.result').map((item) => ({
    conversation: item.querySelector('.conversation')!.textContent!.trim(),
    excerpt: item.querySelector('.excerpt')!.textContent!.replace(/\s+/g, ' ').trim(),
    marked: [...item.querySelectorAll('mark')].map((mark) => mark.textContent!),
    active: item.getAttribute('aria-selected') === 'true',
  }));
}

function searchStatus(widget: Widget): string {
  return inShadow(widget.element, 'im-search', '.status')?.textContent?.trim() ?? '';
}

/** Opens search with the widget's shortcut and types a query, as a person does. */
async function search(widget: Widget, query: string): Promise<void> {
  widget.conversationButtons()[0]?.focus();
  await pressChord('Control+k');
  const input = await waitFor(
    () => inShadow<HTMLInputElement>(widget.element, 'im-search', 'input[type="search"]'),
    'the search box',
  );
  await waitFor(() => inShadow(widget.element, 'im-search', 'dialog[open]'), 'the search dialog');
  expect(input.matches(':focus')).to.equal(true);
  await sendKeys({ type: query });
}

/** More than a client catches up with after being away: it fetches only the newest page. */
const buried = 520;
/** Messages one connection may send at once (the server's per-connection burst). */
const burst = 40;

/**
 * Writes many messages quickly over the real protocol, as many devices of one person
 * would: each connection sends one burst, which the server's rate limit allows.
 */
async function sendMany(token: string, conversationId: string, texts: string[]): Promise<void> {
  const url = await serverUrl();
  const batches = Array.from({ length: Math.ceil(texts.length / burst) }, (_, i) =>
    texts.slice(i * burst, (i + 1) * burst),
  );
  await Promise.all(
    batches.map(async (batch) => {
      const socket = io(url, { auth: { token }, transports: ['websocket'] });
      try {
        await new Promise((resolve) => socket.once('session:ready', resolve));
        await Promise.all(
          batch.map(
            (text) =>
              new Promise<void>((resolve, reject) => {
                const body = { type: 'text', text };
                socket.emit('message:send', { conversationId, clientId: crypto.randomUUID(), body }, (ack: { ok: boolean }) =>
                  ack.ok ? resolve() : reject(new Error(JSON.stringify(ack))),
                );
              }),
          ),
        );
      } finally {
        socket.disconnect();
      }
    }),
  );
}

/**
 * Alice, with a chat with Bob that her widget sent a lighthouse message in (so her cache
 * has it), and an older chat with Carol whose first message mentions the lighthouse too,
 * written while Alice was away and buried under so many later ones that her widget never
 * loaded it.
 */
async function aliceWithHistory() {
  const names = { alice: `Alice ${uniqueUser('')}`, bob: `Bob ${uniqueUser('')}`, carol: `Carol ${uniqueUser('')}` };
  const aliceId = uniqueUser('alice');
  // Known to the server (as after an earlier visit), so that Carol can write to her.
  const earlier = await signIn(aliceId);
  await online(earlier);
  earlier.stop();
  const carolToken = await tokenFor(uniqueUser('carol'), { name: names.carol });
  const carol = track(new ChatClient({ server: await serverUrl(), token: carolToken }));
  await carol.start();
  await online(carol);
  const withAlice = await carol.startConversation(aliceId);
  await carol.send(withAlice, 'Lighthouse keeper report, page one');
  await waitFor(async () => (await texts(carol, withAlice)).join() === 'Lighthouse keeper report, page one:sent', 'the report to be sent');
  carol.stop();
  await sendMany(carolToken, withAlice, Array.from({ length: buried }, (_, i) => `later note ${i + 1}`));

  await mount(uniqueUser('bob'), names.bob);
  const alice = await mount(aliceId, names.alice);
  await alice.startChatWith(names.bob);
  await alice.send('Meet at the lighthouse at dawn');
  await waitFor(() => alice.messageTexts().includes('Meet at the lighthouse at dawn:sent'), 'the message to be sent');
  return { alice, names };
}

describe('<im-search>', () => {
  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    await startServer(); // if a test stopped it
  });

  it('shows cached results at once, adds the server’s, and opens the chosen message in its conversation', async () => {
    const { alice, names } = await aliceWithHistory();
    const cache = alice.element.chatClient!.cache!;
    expect(await cache.searchMessages('keeper')).to.have.length(0);

    await search(alice, 'LIGHTHOUSE');
    const results = await waitFor(() => {
      const shown = shownResults(alice);
      return shown.length === 2 && !searchStatus(alice) ? shown : null;
    }, 'both results');
    expect(results.map(({ conversation, excerpt, marked }) => ({ conversation, excerpt, marked }))).to.deep.equal([
      { conversation: names.bob, excerpt: 'You: Meet at the lighthouse at dawn', marked: ['lighthouse'] },
      { conversation: names.carol, excerpt: `${names.carol}: Lighthouse keeper report, page one`, marked: ['Lighthouse'] },
    ]);
    expect(results[0]!.active).to.equal(true);
    await expect(alice.element).to.be.accessible();

    await sendKeys({ press: 'ArrowDown' });
    await waitFor(() => shownResults(alice)[1]?.active, 'the second result to be active');
    await sendKeys({ press: 'Enter' });

    await waitFor(() => alice.openTitle() === names.carol, 'the chat with Carol to open');
    const revealed = await waitFor(() => {
      const list = alice.messageList();
      const item = [...(list?.shadowRoot?.querySelectorAll<HTMLElement>('li.message') ?? [])].find((li) =>
        li.textContent?.includes('Lighthouse keeper report'),
      );
      const scroller = list?.shadowRoot?.querySelector('.scroller');
      if (!item || !scroller) return null;
      const box = item.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      return box.top >= view.top - 1 && box.bottom <= view.bottom + 1 ? item : null;
    }, 'the found message in view');
    expect(revealed.classList.contains('highlighted')).to.equal(true);
    expect(alice.messages().some((message) => message.text.startsWith('later note'))).to.equal(true);
  });

  it('says when nothing matches, and offline shows what this device has, with a note', async () => {
    const { alice } = await aliceWithHistory();
    await search(alice, 'submarine');
    await waitFor(() => searchStatus(alice) === 'No messages found.', 'the “no results” note');

    await stopServer();
    await waitFor(() => alice.element.chatClient?.status === 'offline', 'the widget to be offline');
    const input = inShadow<HTMLInputElement>(alice.element, 'im-search', 'input[type="search"]')!;
    input.select();
    await sendKeys({ type: 'dawn' });
    await waitFor(
      () => searchStatus(alice) === 'You are offline. Showing messages on this device only.',
      'the offline note',
    );
    await waitFor(
      () => shownResults(alice).map((result) => result.excerpt).join() === 'You: Meet at the lighthouse at dawn',
      'the result from this device',
    );
  });
});
