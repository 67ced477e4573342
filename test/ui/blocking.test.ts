import { expect, fixtureCleanup } from '@open-wc/testing';
import { uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, alicePlusBob, allInShadow, inShadow, mount } from '../support/browser/widget.js';

/** Presses "go ahead" in the confirmation dialog under `path`; returns its question. */
async function confirm(host: Element, ...path: string[]): Promise<string> {
  const dialog = await waitFor(() => inShadow<HTMLDialogElement>(host, ...path, 'im-group-confirm', 'dialog[open]'), 'the confirmation');
  const question = dialog.querySelector('#message')!.textContent!;
  dialog.querySelector<HTMLButtonElement>('button[value="confirm"]')!.click();
  return question;
}

const blockedNote = (widget: Widget) => inShadow(widget.element, 'im-message-pane', '.blocked-note');

describe('blocking and bans', () => {
  afterEach(() => fixtureCleanup());

  it('one person blocks another from the chat header: the other’s message is refused, both devices of the blocker agree, and Unblock undoes it', async () => {
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    await alice.send('Before the block');
    await bob.openConversation(names.alice);
    await waitFor(() => bob.messageTexts().includes('Before the block:sent'), 'the first message at Bob’s');

    const block = await waitFor(() => inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'button.block-peer'), 'the block button');
    expect(block.getAttribute('aria-label')).to.equal(`Block ${names.bob}`);
    block.click();
    expect(await confirm(alice.element, 'im-message-pane')).to.contain(`Block ${names.bob}?`);
    const note = await waitFor(() => blockedNote(alice), 'the blocked note instead of the composer');
    expect(note.textContent).to.contain(`You blocked ${names.bob}.`);
    expect(inShadow(alice.element, 'im-message-pane', 'im-composer')).to.equal(null);
    expect(block.getAttribute('aria-pressed')).to.equal('true');
    await expect(inShadow(alice.element, 'im-message-pane')!).to.be.accessible();

    // Bob's message is refused, in words that say nothing about a block.
    await bob.send('Are you there?');
    await waitFor(() => bob.messageTexts().includes('Are you there?:failed'), 'Bob’s message to fail');
    const reason = allInShadow(bob.messageList()!, '.reason').map((element) => element.textContent!.trim());
    expect(reason.at(-1)).to.contain('This person can’t be reached.');
    expect(alice.messageTexts()).not.to.include('Are you there?:sent');

    // Alice's other device shows the same, and lists Bob among the blocked people.
    const aliceId = alice.element.chatClient!.user!.id;
    const otherDevice = await mount(aliceId, names.alice);
    await otherDevice.openConversation(names.bob);
    await waitFor(() => blockedNote(otherDevice), 'the blocked note on the other device');
    inShadow<HTMLButtonElement>(otherDevice.element, 'button[part="new-chat-button"]')!.click();
    const listed = await waitFor(
      () => inShadow(otherDevice.element, 'im-user-picker', '.blocked-person'),
      'Bob among the blocked people',
    );
    expect(listed.textContent).to.contain(names.bob);
    inShadow<HTMLButtonElement>(otherDevice.element, 'im-user-picker', 'dialog button.icon-button')!.click();

    blockedNote(alice)!.querySelector<HTMLButtonElement>('button.unblock')!.click();
    await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-composer'), 'the composer back');
    await waitFor(() => !blockedNote(otherDevice), 'the other device to show the composer again');
    await bob.send('Now?');
    await waitFor(() => alice.messageTexts().includes('Now?:sent'), 'Bob’s message after the unblock');
  });

  it('a person is blocked from a group’s member list, apart from the group’s own actions; their chat then says so and refuses them; a shared card of them offers Unblock and Block', async () => {
    const { alice, bob, names } = await alicePlusBob();
    const bobId = bob.element.chatClient!.user!.id;
    await alice.startChatWith(names.bob);
    await alice.send('See you at the wall');
    await bob.openConversation(names.alice);
    await waitFor(() => bob.messageTexts().includes('See you at the wall:sent'), 'the first message at Bob’s');
    const id = await alice.element.chatClient!.groups.create({ name: 'Climbing', memberIds: [bobId] });

    alice.element.openConversation(id);
    (await waitFor(() => inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'button.info'), 'the info button')).click();
    const panel = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-group-panel'), 'the panel');
    (await waitFor(() => inShadow<HTMLButtonElement>(panel, "[role='tab'].members"), 'the members tab')).click();
    const row = () =>
      allInShadow(panel, 'im-group-members', '.member').find((member) => member.textContent!.includes(names.bob));
    const menuButton = await waitFor(() => row()?.querySelector<HTMLButtonElement>('.menu-button:not(:disabled)'), 'Bob’s menu button');
    menuButton.click();
    await waitFor(() => row()?.querySelector<HTMLElement>("[role='menu']"), 'Bob’s menu');
    // The owner's group actions, then, apart, blocking, which is hers alone.
    const items = () => [...row()!.querySelectorAll("[role='menuitem'], [role='separator']")].map((item) => item.getAttribute('role') === 'separator' ? '—' : item.textContent!.trim());
    expect(items().slice(-3)).to.deep.equal(['Remove and ban', '—', 'Block']);
    // The keyboard reaches it: End goes to the last item.
    const first = row()!.querySelector<HTMLButtonElement>("[role='menuitem']")!;
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    const block = row()!.querySelector<HTMLButtonElement>("[role='menuitem'].block")!;
    expect(panel.shadowRoot!.querySelector('im-group-members')!.shadowRoot!.activeElement).to.equal(block);
    block.click();
    expect(await confirm(panel, 'im-group-members')).to.contain(`Block ${names.bob}?`);
    await waitFor(() => row()?.querySelector('.badge.blocked'), 'Bob shown as blocked in the list');
    expect(row()!.querySelector('.badge.blocked')!.textContent).to.equal('Blocked');
    // Still a member: blocking is not a ban.
    expect(inShadow(panel, 'im-group-bans', 'li[data-user-id]')).to.equal(null);
    await expect(inShadow(panel, 'im-group-members')!).to.be.accessible();
    row()!.querySelector<HTMLButtonElement>('.menu-button')!.click();
    await waitFor(() => row()?.querySelector("[role='menuitem'].unblock"), 'Unblock in Bob’s menu');
    row()!.querySelector<HTMLButtonElement>('.menu-button')!.click();

    // Their single chat shows it, and Bob's message is refused in words that say nothing of a block.
    await alice.openConversation(names.bob);
    const note = await waitFor(() => blockedNote(alice), 'the blocked note in the single chat');
    expect(note.textContent).to.contain(`You blocked ${names.bob}.`);
    await bob.send('Coming on Sunday?');
    await waitFor(() => bob.messageTexts().includes('Coming on Sunday?:failed'), 'Bob’s message to fail');
    const reason = allInShadow(bob.messageList()!, '.reason').map((element) => element.textContent!.trim());
    expect(reason.at(-1)).to.contain('This person can’t be reached.');

    // Carol shares Bob's contact with Alice: the card says Bob is blocked and offers Unblock.
    const carolId = uniqueUser('carol');
    const carol = await mount(carolId, `Carol ${carolId.slice(-4)}`);
    const chat = await carol.element.chatClient!.startConversation(alice.element.chatClient!.user!.id);
    await carol.element.chatClient!.messages.shareContact(chat, { id: bobId, name: names.bob, avatar: null });
    await alice.openConversation(`Carol ${carolId.slice(-4)}`);
    const card = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-message-list', 'im-contact-card'), 'the card');
    const cardPart = <T extends HTMLElement>(selector: string) => card.shadowRoot!.querySelector<T>(selector);
    await waitFor(() => cardPart('[part="contact-blocked"]'), 'the card to say Bob is blocked');
    const toggle = cardPart<HTMLButtonElement>('[part="contact-block-button"]')!;
    expect(toggle.textContent!.trim()).to.equal('Unblock');
    expect(toggle.getAttribute('aria-label')).to.equal(`Unblock ${names.bob}`);
    await expect(card).to.be.accessible();
    toggle.click();
    await waitFor(() => !cardPart('[part="contact-blocked"]') && toggle.textContent!.trim() === 'Block', 'the card to offer Block');
    await bob.send('Sunday?');
    await waitFor(() => bob.messageTexts().includes('Sunday?:sent'), 'Bob’s message after the unblock');
    // Block from the card asks first, as everywhere.
    toggle.click();
    expect(await confirm(card)).to.contain(`Block ${names.bob}?`);
    await waitFor(() => cardPart('[part="contact-blocked"]'), 'the card to say Bob is blocked again');
  });

  it('an admin bans a member from the member list; the banned person cannot rejoin by link until the ban is lifted', async () => {
    const { alice, bob, names } = await alicePlusBob();
    const bobId = bob.element.chatClient!.user!.id;
    const groups = alice.element.chatClient!.groups;
    const id = await groups.create({ name: 'Book club', memberIds: [bobId] });
    const { code } = await groups.createInvite(id);

    alice.element.openConversation(id);
    (await waitFor(() => inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'button.info'), 'the info button')).click();
    const panel = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-group-panel'), 'the panel');
    (await waitFor(() => inShadow<HTMLButtonElement>(panel, "[role='tab'].members"), 'the members tab')).click();
    const row = () =>
      allInShadow(panel, 'im-group-members', '.member').find((member) => member.textContent!.includes(names.bob));
    (await waitFor(() => row()?.querySelector<HTMLButtonElement>('.menu-button:not(:disabled)'), 'Bob’s menu button')).click();
    (await waitFor(() => row()?.querySelector<HTMLButtonElement>("[role='menuitem'].ban"), 'Remove and ban')).click();
    expect(await confirm(panel, 'im-group-members')).to.contain(`Remove ${names.bob} and ban them`);
    const banned = await waitFor(() => inShadow(panel, 'im-group-bans', 'li[data-user-id]'), 'Bob among the banned');
    expect(banned.textContent).to.contain(names.bob);
    await waitFor(() => !row(), 'Bob to leave the member list');
    await expect(inShadow(panel, 'im-group-bans')!).to.be.accessible();
    await waitFor(
      () => alice.messageList()!.shadowRoot!.textContent!.includes(`You removed and banned ${names.bob}`),
      'the event in the timeline',
    );

    bob.element.joinGroup(code);
    const card = await waitFor(() => inShadow(bob.element, 'im-join-card'), 'the join card');
    await waitFor(
      () => card.shadowRoot!.querySelector('[role="alert"]')?.textContent === 'You can’t join this group.',
      'the refusal in the card',
    );

    inShadow<HTMLButtonElement>(panel, 'im-group-bans', 'button.lift-ban')!.click();
    await waitFor(() => !inShadow(panel, 'im-group-bans', 'li[data-user-id]'), 'the ban to be lifted');
    // Lifted, Bob may be added back by an admin.
    await groups.addMembers(id, [bobId]);
    await waitFor(() => bob.conversationNames().includes('Book club'), 'the group back in Bob’s list');
  });
});

