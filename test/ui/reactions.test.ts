import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, messageButton, mount, type Widget } from '../support/browser/widget.js';

function list(widget: Widget): ShadowRoot {
  return widget.messageList()!.shadowRoot!;
}

function messageItem(widget: Widget, text: string): HTMLElement | undefined {
  return [...list(widget).querySelectorAll<HTMLElement>('li.message')].find(
    (item) => item.querySelector('.text')?.textContent?.includes(text),
  );
}

/** What the chips under a message say to a screen reader, and whether each is pressed. */
function chips(widget: Widget, text: string): string[] {
  const item = messageItem(widget, text);
  return [...(item?.querySelectorAll<HTMLButtonElement>('button.reaction-chip') ?? [])].map(
    (chip) => `${chip.getAttribute('aria-label')}${chip.getAttribute('aria-pressed') === 'true' ? ' (pressed)' : ''}`,
  );
}

function menuButtons(widget: Widget): HTMLButtonElement[] {
  const menu = list(widget).querySelector('im-menu');
  return [...(menu?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[role^="menuitem"]') ?? [])];
}

/** Opens the quick reactions with the message's "Add reaction" button and picks one by its name. */
async function reactWith(widget: Widget, text: string, name: string): Promise<void> {
  const item = await waitFor(() => messageItem(widget, text), `"${text}" shown`);
  (await messageButton(item, 'react')).click();
  const choice = await waitFor(() => menuButtons(widget).find((b) => b.getAttribute('aria-label') === name), `"${name}" offered`);
  choice.click();
}

function chip(widget: Widget, text: string, emoji: string): HTMLButtonElement | undefined {
  return [...(messageItem(widget, text)?.querySelectorAll<HTMLButtonElement>('button.reaction-chip') ?? [])].find(
    (button) => button.querySelector('.reaction-emoji')?.textContent === emoji,
  );
}

function preview(widget: Widget, name: string): string | undefined {
  const row = widget.conversationButtons().find((b) => b.querySelector('.name')?.textContent?.trim() === name);
  return row?.querySelector('.preview')?.textContent?.trim();
}

async function chat() {
  const people = await alicePlusBob();
  await people.alice.startChatWith(people.names.bob);
  await people.alice.send('Lunch at noon?');
  await people.bob.openConversation(people.names.alice);
  await waitFor(() => messageItem(people.bob, 'Lunch at noon?'), 'Bob to see the message');
  await people.bob.send('Where?');
  await waitFor(() => messageItem(people.alice, 'Where?'), 'Alice to see the answer');
  return people;
}

describe('reactions in the widget', () => {
  it('shows reactions of two people with counts and names, and takes one back with its chip', async () => {
    const { alice, bob, names } = await chat();
    await reactWith(bob, 'Lunch at noon?', 'React with 👍');
    await waitFor(
      () => chips(alice, 'Lunch at noon?').join() === `👍 1, reacted by ${names.bob}`,
      "Alice to see Bob's reaction",
    );
    await waitFor(() => chips(bob, 'Lunch at noon?').join() === '👍 1, reacted by you (pressed)', 'Bob to see his own');
    expect(chip(alice, 'Lunch at noon?', '👍')!.title).to.equal(names.bob);

    // Alice puts the same one with its chip, and another from the quick row.
    chip(alice, 'Lunch at noon?', '👍')!.click();
    await reactWith(alice, 'Lunch at noon?', 'React with ❤️');
    const both = [`👍 2, reacted by ${names.alice} and you (pressed)`, `❤️ 1, reacted by ${names.alice}`];
    await waitFor(() => chips(bob, 'Lunch at noon?').join() === both.join(), 'Bob to see both reactions');
    const mine = [`👍 2, reacted by ${names.bob} and you (pressed)`, '❤️ 1, reacted by you (pressed)'];
    await waitFor(() => chips(alice, 'Lunch at noon?').join() === mine.join(), 'Alice to see both as hers');
    await expect(alice.element).to.be.accessible();

    // The quick row shows which ones are the user's own.
    (await messageButton(messageItem(bob, 'Lunch at noon?')!, 'react')).click();
    const thumbs = await waitFor(() => menuButtons(bob).find((b) => b.getAttribute('aria-label') === 'React with 👍'), 'the quick row');
    expect(thumbs.getAttribute('aria-checked')).to.equal('true');
    expect(menuButtons(bob).find((b) => b.getAttribute('aria-label') === 'React with ❤️')!.getAttribute('aria-checked')).to.equal('false');
    // Keyboard: arrows move along the row, Enter toggles (here: a laughing face on).
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => chips(alice, 'Lunch at noon?').some((c) => c.startsWith('😂 1')), 'Alice to see the laugh');
    (await waitFor(() => chip(bob, 'Lunch at noon?', '😂'), 'Bob to see his laugh')).click();
    await waitFor(() => !chip(alice, 'Lunch at noon?', '😂'), 'the laugh taken back');

    // Bob takes his back by tapping his chip.
    chip(bob, 'Lunch at noon?', '👍')!.click();
    await waitFor(
      () => chips(alice, 'Lunch at noon?').join() === ['👍 1, reacted by you (pressed)', '❤️ 1, reacted by you (pressed)'].join(),
      "Alice to see Bob's reaction gone",
    );

    // A reaction is no message: the lists keep their previews and nobody gets an unread count.
    expect(preview(alice, names.bob)).to.equal('Where?');
    expect(preview(bob, names.alice)).to.equal('You: Where?');
    expect(bob.unreadBadge(names.alice)).to.equal(null);
    expect(bob.messageTexts()).to.deep.equal(['Lunch at noon?:sent', 'Where?:sent']);
  });

  it("puts any emoji from the picker, and the user's other device shows it as theirs", async () => {
    const { alice, bob, names } = await chat();
    await reactWith(alice, 'Where?', 'More reactions…');
    const picker = await waitFor(() => list(alice).querySelector('.reaction-picker im-emoji-picker'), 'the emoji picker');
    // Ready once it shows emoji (a category, or the recently used ones).
    await waitFor(() => (picker.shadowRoot?.querySelectorAll('.grid button').length ?? 0) > 0, 'the emoji', 20_000);
    picker.shadowRoot!.querySelector<HTMLInputElement>('input')!.focus();
    await sendKeys({ type: 'pizza' });
    const pizza = await waitFor(
      () => [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('.grid button')].find((b) => b.getAttribute('aria-label') === 'pizza'),
      'the pizza emoji found',
    );
    pizza.click();
    await waitFor(() => chips(bob, 'Where?').join() === `🍕 1, reacted by ${names.alice}`, 'Bob to see the pizza');
    expect(list(alice).querySelector('.reaction-picker')).to.equal(null);

    // Alice's second device shows her reaction as hers, pressed.
    const tablet = await mount(alice.element.chatClient!.user!.id, names.alice);
    await tablet.openConversation(names.bob);
    await waitFor(() => chips(tablet, 'Where?').join() === '🍕 1, reacted by you (pressed)', 'the tablet to show it');
    // Taking it back there takes it back everywhere.
    chip(tablet, 'Where?', '🍕')!.click();
    for (const widget of [alice, bob]) await waitFor(() => chips(widget, 'Where?').length === 0, 'the pizza gone');
    expect(inShadow(tablet.element, 'im-message-pane', 'im-message-list')).to.not.equal(null);
  });
});
