import { expect } from '@open-wc/testing';
import { waitFor } from '../support/browser/im-server.js';
import { allInShadow, alicePlusBob, inShadow, type Widget } from '../support/browser/widget.js';
import { pressChord } from '../support/browser/input.js';

function list(widget: Widget): HTMLElement {
  return inShadow(widget.element, 'im-conversation-list')!;
}

function row(widget: Widget, name: string): HTMLButtonElement {
  return widget.conversationButtons().find((b) => b.querySelector('.name')?.textContent?.trim() === name)!;
}

/** Opens a row's menu from the keyboard (the context-menu key) and picks an item by its label. */
async function choose(widget: Widget, name: string, label: string): Promise<void> {
  (await waitFor(() => row(widget, name), `${name} in the list`)).focus();
  await pressChord('Shift+F10');
  const item = await waitFor(
    () => allInShadow<HTMLButtonElement>(list(widget), 'im-menu', 'button[role="menuitem"]').find((b) => b.textContent?.trim() === label),
    `"${label}" in the menu`,
  );
  // The menu took the focus, so it can be used from the keyboard.
  expect(list(widget).shadowRoot!.activeElement?.tagName).to.equal('IM-MENU');
  item.click();
}

function filterTab(widget: Widget, label: string): HTMLButtonElement {
  return allInShadow<HTMLButtonElement>(list(widget), 'button[role="tab"]').find((b) => b.textContent?.trim().startsWith(label))!;
}

describe('conversation list: pin, mute, unread mark, hide, filters', () => {
  it('pins a conversation and unpins it, from the keyboard', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await bob.startChatWith(names.alice);
    await bob.send('first');
    await waitFor(() => alice.conversationNames().includes(names.bob), 'Bob in Alice’s list');

    await choose(alice, names.bob, 'Pin to top');
    await waitFor(() => row(alice, names.bob)?.classList.contains('pinned'), 'the pin');
    expect(alice.conversationNames()[0]).to.equal(names.bob);
    expect(row(alice, names.bob).querySelector('[aria-label="Pinned"]')).to.exist;
    await choose(alice, names.bob, 'Unpin');
    await waitFor(() => !row(alice, names.bob)?.classList.contains('pinned'), 'the pin to go');
  });

  it('mutes (grey badge, left out of the unread total) and marks unread', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await bob.startChatWith(names.alice);
    await bob.send('one');
    await bob.send('two');
    await waitFor(() => alice.unreadBadge(names.bob) === '2', 'two unread');
    expect(filterTab(alice, 'Unread').textContent?.trim()).to.equal('Unread (2)');

    await choose(alice, names.bob, 'Mute notifications');
    await waitFor(() => row(alice, names.bob)?.classList.contains('muted'), 'the mute');
    expect(filterTab(alice, 'Unread').textContent?.trim()).to.equal('Unread');
    expect(alice.unreadBadge(names.bob)).to.equal('2');

    await choose(alice, names.bob, 'Mark as read');
    await waitFor(() => alice.unreadBadge(names.bob) === null, 'the badge to clear');
    await choose(alice, names.bob, 'Mark as unread');
    await waitFor(() => !!row(alice, names.bob)?.querySelector('.badge.dot'), 'the unread dot');
    // Opening it reads it again.
    await alice.openConversation(names.bob);
    await waitFor(() => !row(alice, names.bob)?.querySelector('.badge'), 'the dot to clear on reading');
  });

  it('removes a conversation from the list until a new message arrives; filters by kind', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await bob.startChatWith(names.alice);
    await bob.send('hello');
    await waitFor(() => alice.conversationNames().includes(names.bob), 'the chat in Alice’s list');

    filterTab(alice, 'Groups').click();
    await waitFor(() => alice.conversationNames().length === 0, 'no groups shown');
    expect(inShadow(list(alice), '.empty.filtered')?.textContent?.trim()).to.equal('You are not in any group yet.');
    filterTab(alice, 'All').click();

    await choose(alice, names.bob, 'Remove from list');
    await waitFor(() => !alice.conversationNames().includes(names.bob), 'the chat to leave the list');
    await bob.send('are you there?');
    await waitFor(() => alice.conversationNames().includes(names.bob), 'the chat to come back with the message');
  });
});
