import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { throttledServerUrl, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, allInShadow, inShadow, mount } from '../support/browser/widget.js';

const nameOf = (widget: Widget) => widget.element.chatClient!.user!.name;
const idOf = (widget: Widget) => widget.element.chatClient!.user!.id;
const person = async (first: string, server?: string, id = uniqueUser(first)) =>
  mount(id, `${first} ${id.slice(-4)}`, server ? { server } : {});

/** The pinned announcement of the open group, as a person sees it. */
function bar(widget: Widget) {
  const root = inShadow(widget.element, 'im-message-pane', 'im-announcement');
  const part = <T extends HTMLElement = HTMLElement>(selector: string) => root?.shadowRoot?.querySelector<T>(selector) ?? null;
  return {
    shown: () => root !== null && part('.bar') !== null,
    text: () => part('.text')?.textContent ?? '',
    open: () => part('.toggle')?.getAttribute('aria-expanded') === 'true',
    toggle: () => part<HTMLButtonElement>('.toggle')!,
    confirmButton: () => part<HTMLButtonElement>('.confirm'),
  };
}

function panelPart<T extends Element = HTMLElement>(widget: Widget, ...path: string[]): T | null {
  const panel = inShadow(widget.element, 'im-message-pane', 'im-group-panel');
  return panel ? inShadow<T>(panel, ...path) : null;
}

describe('announcements people confirm', () => {
  afterEach(() => fixtureCleanup());

  it('an admin posts one; a member sees it pinned and confirms it on one device, the other follows, the admin sees who did', async () => {
    const bob = await person('Bob');
    // Bob's phone: the same account, with a cache of its own (another origin of the same server).
    const bobPhone = await person('Bob', await throttledServerUrl(10_000_000), idOf(bob));
    const alice = await person('Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Ops', memberIds: [idOf(bob)] });

    // Alice writes the announcement in the group panel.
    alice.element.openConversation(id);
    (await waitFor(() => inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'button.info'), 'the info button')).click();
    (await waitFor(() => panelPart<HTMLButtonElement>(alice, 'im-group-info', 'button.edit'), 'the edit button')).click();
    const field = await waitFor(() => panelPart<HTMLTextAreaElement>(alice, 'im-group-info', '#field-announcement'), 'the form');
    field.focus();
    await sendKeys({ type: 'Deploy freeze from Friday noon' });
    panelPart<HTMLButtonElement>(alice, 'im-group-info', 'button.save')!.click();
    const count = () => panelPart(alice, 'im-group-info', 'im-announcement-confirmations', '.count')?.textContent?.trim();
    await waitFor(() => count() === '1 of 2 confirmed', 'the count for the admin (she has read her own)');
    const listed = (kind: string) =>
      allInShadow(panelPart(alice, 'im-group-info')!, 'im-announcement-confirmations', `details.${kind} li .name`).map(
        (name) => name.textContent,
      );
    expect(listed('pending')).to.deep.equal([nameOf(bob)]);
    expect(listed('confirmed')).to.deep.equal([nameOf(alice)]);
    // Alice wrote it: her bar is folded, with nothing to confirm.
    await waitFor(() => bar(alice).shown(), 'Alice’s pinned announcement');
    expect(bar(alice).open()).to.equal(false);
    expect(bar(alice).confirmButton()).to.equal(null);

    // Bob sees it pinned, open, with Got it, on both devices.
    await bob.openConversation('Ops');
    await bobPhone.openConversation('Ops');
    for (const device of [bob, bobPhone]) {
      await waitFor(() => bar(device).confirmButton(), 'Got it on each of Bob’s devices');
      expect(bar(device).text()).to.equal('Deploy freeze from Friday noon');
      expect(bar(device).open()).to.equal(true);
      expect(device.messageList()).to.not.equal(null); // the messages are still there below it
    }
    await expect(inShadow(bob.element, 'im-message-pane', 'im-announcement')).to.be.accessible();

    bar(bob).confirmButton()!.click();
    await waitFor(() => bar(bob).confirmButton() === null && !bar(bob).open(), 'the bar to fold once confirmed');
    await waitFor(() => bar(bobPhone).confirmButton() === null, 'Bob’s phone to learn he confirmed it');
    expect(bar(bobPhone).open()).to.equal(false);
    // Folded, still there: it opens again on demand.
    bar(bob).toggle().click();
    await waitFor(() => bar(bob).open(), 'the bar to open again');

    await waitFor(() => count() === '2 of 2 confirmed', 'the admin’s count to follow live');
    expect(listed('confirmed').sort()).to.deep.equal([nameOf(alice), nameOf(bob)].sort());
    expect(listed('pending')).to.deep.equal([]);
  });
});

describe('contact cards', () => {
  afterEach(() => fixtureCleanup());

  it('a user shares a contact; the recipient sees the card and opens a chat with that person from it', async () => {
    const carol = await person('Carol');
    const bob = await person('Bob');
    const alice = await person('Alice');
    await alice.startChatWith(nameOf(bob));

    await alice.composerTool('share-contact');
    const picker = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-composer', 'im-user-picker'), 'the people picker');
    expect(picker.shadowRoot!.querySelector('h2')!.textContent).to.equal('Share a contact');
    const search = picker.shadowRoot!.querySelector<HTMLInputElement>('input')!;
    search.focus();
    await sendKeys({ type: nameOf(carol) });
    const choice = await waitFor(
      () => [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.person')].find((b) => b.textContent?.trim() === nameOf(carol)),
      'Carol among the people',
    );
    choice.click();
    alice.element.scrollIntoView(); // three widgets are taller than the window: a list renders what is in view

    const cards = (widget: Widget) => allInShadow(widget.element, 'im-message-pane', 'im-message-list', 'im-contact-card');
    const sent = await waitFor(() => cards(alice)[0], 'the card in Alice’s chat');
    await waitFor(() => sent.closest('li')?.dataset.status === 'sent', 'the card to be sent');
    expect(sent.shadowRoot!.querySelector('.name')!.textContent).to.equal(nameOf(carol));

    await waitFor(() => bob.conversationButtons().some((b) => b.textContent!.includes(`[Contact] ${nameOf(carol)}`)), 'the preview in Bob’s list');
    bob.element.scrollIntoView();
    await bob.openConversation(nameOf(alice));
    const card = await waitFor(() => cards(bob)[0], 'the card in Bob’s chat');
    expect(card.shadowRoot!.querySelector('.name')!.textContent).to.equal(nameOf(carol));
    await expect(card).to.be.accessible();
    const message = card.shadowRoot!.querySelector<HTMLButtonElement>('button.message')!;
    expect(message.getAttribute('aria-label')).to.equal(`Send a message to ${nameOf(carol)}`);
    message.click();
    await waitFor(() => bob.openTitle() === nameOf(carol), 'the chat with Carol to open');
    await bob.send('Hi Carol, Alice sent me your contact');
    await waitFor(() => bob.messageTexts().includes('Hi Carol, Alice sent me your contact:sent'), 'Bob’s message to be sent');
    carol.element.scrollIntoView(); // three widgets are taller than the window: the list renders what is in view
    await carol.openConversation(nameOf(bob));
    await waitFor(() => carol.messages().some((m) => m.text === 'Hi Carol, Alice sent me your contact'), 'Carol to get it');
  });
});
