import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { limits } from '../../src/protocol/index.js';
import { waitFor } from '../support/browser/im-server.js';
import { hover } from '../support/browser/input.js';
import { alicePlusBob, allInShadow, inShadow, messageButton, mount, type Widget } from '../support/browser/widget.js';

function list(widget: Widget): ShadowRoot {
  return widget.messageList()!.shadowRoot!;
}

function messageItem(widget: Widget, text: string): HTMLElement | undefined {
  return [...list(widget).querySelectorAll<HTMLElement>('li.message')].find(
    (item) => item.querySelector('.text')?.textContent?.includes(text),
  );
}

/** Opens a message's actions with its menu button (as from the keyboard) and picks one. */
async function act(widget: Widget, text: string, label: string): Promise<void> {
  const item = await waitFor(() => {
    const found = messageItem(widget, text);
    return found?.dataset['status'] === 'sent' ? found : null;
  }, `"${text}" sent`);
  (await messageButton(item, 'more')).click();
  const choice = await waitFor(
    () => [...list(widget).querySelectorAll('im-menu')].flatMap((menu) => [...menu.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')]).find((b) => b.textContent?.trim() === label),
    `"${label}" among the actions`,
  );
  choice.click();
}

function composerContext(widget: Widget): string {
  return inShadow(widget.element, 'im-message-pane', 'im-composer', '.context')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

async function chat() {
  const people = await alicePlusBob();
  await people.alice.startChatWith(people.names.bob);
  await people.alice.send('Lunch at noon?');
  await people.bob.openConversation(people.names.alice);
  await waitFor(() => messageItem(people.bob, 'Lunch at noon?'), 'Bob to see the message');
  return people;
}

describe('message actions in the widget', () => {
  it("brings a message's buttons under the mouse without moving its bubble, and has them in the message Tab goes into", async () => {
    const { bob } = await chat();
    const long = 'A longer answer, long enough to wrap in a narrow list, so that a bubble that got narrower would show';
    await bob.send(long);
    const own = await waitFor(() => {
      const item = messageItem(bob, 'A longer answer');
      return item?.dataset['status'] === 'sent' ? item : null;
    }, 'the answer sent');
    // A narrow widget, where the buttons would take room from a long message's bubble.
    bob.element.style.width = '260px';
    const other = messageItem(bob, 'Lunch at noon?')!;
    // Where the bubble sits in its row, and its size.
    const place = (row: HTMLElement) => {
      const [box, outer] = [row.querySelector('.bubble')!.getBoundingClientRect(), row.getBoundingClientRect()];
      return { left: box.left - outer.left, top: box.top - outer.top, width: box.width, height: box.height };
    };
    for (const row of [other, own]) {
      const before = place(row);
      await hover(row);
      const more = await waitFor(() => row.querySelector<HTMLButtonElement>('button.more'), 'the actions button under the mouse');
      await waitFor(() => getComputedStyle(more).opacity === '1', 'the actions button shown');
      expect(getComputedStyle(row.querySelector('button.react')!).opacity).to.equal('1');
      expect(place(row)).to.deep.equal(before);
    }

    // The newest message is the list's Tab stop: wherever the mouse is, Tab goes on to its
    // buttons, where there is a mouse to show them (a touch screen has the long press).
    await hover(other);
    own.focus();
    if (!matchMedia('(hover: hover)').matches) return;
    await sendKeys({ press: 'Tab' });
    expect(list(bob).activeElement?.getAttribute('aria-label')).to.equal('Add reaction');
    await sendKeys({ press: 'Tab' });
    expect(list(bob).activeElement?.getAttribute('aria-label')).to.equal('Message actions');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => allInShadow(bob.messageList()!, 'im-menu', '[role="menuitem"]').length > 0, 'the actions of the message');
  });

  it('replies with a quote that leads back to the original', async () => {
    const { alice, bob, names } = await chat();
    await act(bob, 'Lunch at noon?', 'Reply');
    expect(composerContext(bob)).to.equal(`Replying to ${names.alice} Lunch at noon?`);
    await bob.send('Yes, see you there');
    const reply = await waitFor(() => messageItem(alice, 'see you there'), 'Alice to get the reply');
    const quote = reply.querySelector<HTMLButtonElement>('button.quote')!;
    expect(quote.textContent?.replace(/\s+/g, ' ').trim()).to.equal('You Lunch at noon?');
    expect(composerContext(bob)).to.equal('');
    quote.click();
    await waitFor(() => messageItem(alice, 'Lunch at noon?')?.classList.contains('highlighted'), 'the original highlighted');
  });

  it('edits a message in place for both, and shows it as edited', async () => {
    const { alice, bob } = await chat();
    await act(alice, 'Lunch at noon?', 'Edit');
    expect(composerContext(alice)).to.equal('Editing message');
    expect(alice.composer().value).to.equal('Lunch at noon?');
    alice.composer().select();
    await alice.send('Lunch at one?');
    for (const widget of [alice, bob]) {
      const item = await waitFor(() => messageItem(widget, 'Lunch at one?'), 'the edited text');
      expect(item.querySelector('.edited')?.textContent).to.equal('edited');
    }
    expect(messageItem(bob, 'Lunch at noon?')).to.equal(undefined);
  });

  it('recalls a message for everyone; the sender may take the text back', async () => {
    const { alice, bob, names } = await chat();
    await act(alice, 'Lunch at noon?', 'Recall');
    await waitFor(() => messageItem(bob, `${names.alice} recalled a message`), 'Bob to see the recall');
    const mine = await waitFor(() => messageItem(alice, 'You recalled a message'), 'Alice to see it recalled');
    mine.querySelector<HTMLButtonElement>('button.re-edit')!.click();
    await waitFor(() => alice.composer().value === 'Lunch at noon?', 'the text back in the composer');
  });

  it('marks own messages read once the peer saw them, and only sent while the peer is away', async () => {
    const { alice, bob } = await chat();
    const state = () => messageItem(alice, 'Lunch at noon?')?.querySelector('.state')?.getAttribute('aria-label');
    // Bob has it open: it is read already.
    await waitFor(() => state() === 'Read', 'the read mark');
    bob.element.remove();
    await alice.send('Still there?');
    const latest = () => messageItem(alice, 'Still there?')?.querySelector('.state')?.getAttribute('aria-label');
    await waitFor(() => latest() === 'Sent', 'a sent mark while Bob is away');
  });

  it('shows who is typing in the header until they send', async () => {
    const { alice, bob, names } = await chat();
    bob.composer().focus();
    await sendKeys({ type: 'On my' });
    const typing = () => inShadow(alice.element, 'im-message-pane', '.subtitle.typing')?.textContent?.trim();
    await waitFor(() => typing() === `${names.bob} is typing…`, 'the typing line');
    await bob.send(' way');
    await waitFor(() => !typing(), 'the typing line to go with the message');
  });

  it('stops showing someone typing as soon as they empty the box', async () => {
    const { alice, bob, names } = await chat();
    bob.composer().focus();
    await sendKeys({ type: 'Hmm' });
    const typing = () => inShadow(alice.element, 'im-message-pane', '.subtitle.typing')?.textContent?.trim();
    await waitFor(() => typing() === `${names.bob} is typing…`, 'the typing line');
    for (let i = 0; i < 3; i++) await sendKeys({ press: 'Backspace' });
    // Well before the indicator would expire on its own.
    await waitFor(() => !typing(), 'the typing line to go once the box is empty', limits.typingTtlMs / 2);
  });

  it('keeps a draft per conversation in the cache, shown in the list', async () => {
    const { alice, names } = await chat();
    await alice.type('half a thought');
    const client = alice.element.chatClient!;
    const user = client.user!;
    const conversationId = (await client.cache!.allConversations())[0]!.id;
    // Saved a moment after the last keystroke.
    await waitFor(async () => (await client.conversations.draft(conversationId))?.text === 'half a thought', 'the draft saved');
    alice.element.remove();
    const again = await mount(user.id, user.name);
    const preview = () =>
      again.conversationButtons().find((b) => b.querySelector('.name')?.textContent?.trim() === names.bob)
        ?.querySelector('.preview')?.textContent?.replace(/\s+/g, ' ').trim();
    await waitFor(() => preview() === '[Draft] half a thought', 'the draft in the list');
    await again.openConversation(names.bob);
    await waitFor(() => again.composer().value === 'half a thought', 'the draft back in the composer');
  });

  it('links web addresses and shows emoji alone larger; the picker inserts emoji', async () => {
    const { alice, bob } = await chat();
    await alice.send('docs at https://example.com/guide.');
    const link = await waitFor(() => messageItem(bob, 'docs at')?.querySelector<HTMLAnchorElement>('a'), 'the link');
    expect([link.href, link.target, link.rel]).to.deep.equal(['https://example.com/guide', '_blank', 'noopener noreferrer nofollow ugc']);

    inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'im-composer', 'button.emoji')!.click();
    const picker = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-composer', 'im-emoji-picker'), 'the picker');
    const first = await waitFor(() => allInShadow<HTMLButtonElement>(picker, '.grid button')[0], 'the emoji', 20_000);
    const emoji = first.textContent!.trim();
    first.click();
    await waitFor(() => alice.composer().value === emoji, 'the emoji in the composer');
    await sendKeys({ press: 'Escape' });
    await alice.send('');
    const big = await waitFor(() => messageItem(bob, emoji), 'the emoji message');
    expect(big.querySelector('.text')!.classList.contains('emoji-only')).to.equal(true);
  });
});
