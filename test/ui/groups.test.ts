import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImChat } from '../../src/ui/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, allInShadow, inShadow, mount } from '../support/browser/widget.js';

/** People on one page, each online once so they can find each other. */
async function team(...names: string[]): Promise<Widget[]> {
  const widgets: Widget[] = [];
  for (const name of names) widgets.push(await mount(uniqueUser(name), `${name} ${uniqueUser('')}`));
  return widgets;
}

const nameOf = (widget: Widget) => widget.element.chatClient!.user!.name;

async function createGroupThroughDialog(owner: Widget, name: string, members: Widget[]): Promise<void> {
  inShadow<HTMLButtonElement>(owner.element, 'button[part="new-group-button"]')!.click();
  const dialog = await waitFor(() => inShadow(owner.element, 'im-group-create'), 'the new-group dialog');
  const field = dialog.shadowRoot!.querySelector<HTMLInputElement>('#name')!;
  field.focus();
  await sendKeys({ type: name });
  for (const member of members) {
    const search = dialog.shadowRoot!.querySelector<HTMLInputElement>('#search')!;
    search.focus();
    search.select();
    await sendKeys({ type: nameOf(member) });
    const box = await waitFor(
      () =>
        [...dialog.shadowRoot!.querySelectorAll<HTMLLabelElement>('label.person')]
          .find((label) => label.textContent?.includes(nameOf(member)))
          ?.querySelector<HTMLInputElement>('input'),
      `${nameOf(member)} in the people list`,
    );
    box.click();
  }
  dialog.shadowRoot!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await waitFor(() => owner.openTitle() === name, 'the new group to open');
}

describe('groups in <im-chat>', () => {
  afterEach(() => {
    fixtureCleanup();
    history.replaceState(null, '', location.pathname);
  });

  it('creates a group from the dialog; members see it, its events and its messages', async () => {
    const [alice, bob, carol] = await team('Alice', 'Bob', 'Carol');
    await createGroupThroughDialog(alice!, 'Hiking', [bob!, carol!]);
    const events = () => allInShadow(alice!.element, 'im-message-pane', 'im-message-list', 'li.event').map((li) => li.textContent!.trim());
    await waitFor(() => events().some((text) => text.startsWith('You created the group “Hiking”')), 'the creation event');
    expect(inShadow(alice!.element, 'im-message-pane', '.subtitle')!.textContent).to.equal('3 members');

    await alice!.send('Saturday at 8?');
    await bob!.openConversation('Hiking');
    await waitFor(() => bob!.messages().some((m) => m.text === 'Saturday at 8?'), 'Bob to see the message');
    const sender = bob!.messageList()!.shadowRoot!.querySelector('li.message .sender')!.textContent;
    expect(sender).to.equal(nameOf(alice!));
  });

  it('suggests members after @, and highlights the mention for the person mentioned', async () => {
    const [alice, bob] = await team('Alice', 'Bob');
    const id = await alice!.element.chatClient!.groups.create({ name: 'Mentions', memberIds: [bob!.element.chatClient!.user!.id] });
    alice!.element.openConversation(id);
    await waitFor(() => alice!.openTitle() === 'Mentions', 'the group to open');
    await waitFor(() => alice!.composer(), 'the composer');
    alice!.composer().focus();
    await sendKeys({ type: 'Hey @' + nameOf(bob!).slice(0, 3) });
    const options = () => allInShadow(alice!.element, 'im-message-pane', 'im-composer', '[role="option"]');
    await waitFor(() => options().some((o) => o.textContent!.includes(nameOf(bob!))), 'Bob among the suggestions');
    await sendKeys({ press: 'Enter' }); // picks, does not send
    expect(alice!.composer().value).to.equal(`Hey @${nameOf(bob!)} `);
    await sendKeys({ type: 'look' });
    await sendKeys({ press: 'Enter' });

    await waitFor(() => bob!.conversationButtons().some((b) => b.textContent!.includes('Mentioned you')), 'the mention in Bob’s list');
    await bob!.openConversation('Mentions');
    await waitFor(
      () => bob!.messageList()!.shadowRoot!.querySelector('li.mentions-me')?.textContent?.includes('look'),
      'the highlighted message',
    );
  });

  it('offers to join when opened with ?im-join=, joins, and clears the link from the address bar', async () => {
    const [alice] = await team('Alice');
    const id = await alice!.element.chatClient!.groups.create({ name: 'Open house', memberIds: [] });
    const { code } = await alice!.element.chatClient!.groups.createInvite(id);
    fixtureCleanup();

    history.replaceState(null, '', `${location.pathname}?im-join=${code}`);
    const dave = new Widget(
      await fixture<ImChat>(html`<im-chat
        server=${await serverUrl()}
        token=${await tokenFor(uniqueUser('dave'), { name: 'Dave' })}
        lang="en"
      ></im-chat>`),
    );
    const card = await waitFor(() => inShadow(dave.element, 'im-join-card'), 'the join card');
    await waitFor(() => card.shadowRoot!.querySelector('.name')?.textContent === 'Open house', 'the group preview');
    expect(card.shadowRoot!.querySelector('.count')!.textContent).to.equal('1 member');
    await expect(card).to.be.accessible();
    [...card.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Join')!.click();

    await waitFor(() => dave.openTitle() === 'Open house', 'the group to open');
    expect(inShadow(dave.element, 'im-join-card') === null).to.equal(true);
    expect(location.search).to.equal('');
    await dave.send('Thanks for having me');
    await waitFor(() => dave.messageTexts().includes('Thanks for having me:sent'), 'the message to go out');
  });

  it('explains an expired invite in the card', async () => {
    const [alice, dave] = await team('Alice', 'Dave');
    const id = await alice!.element.chatClient!.groups.create({ name: 'Short-lived', memberIds: [] });
    const { code } = await alice!.element.chatClient!.groups.createInvite(id, { expiresAt: Date.now() + 1000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    dave!.element.joinGroup(code);
    const card = await waitFor(() => inShadow(dave!.element, 'im-join-card'), 'the join card');
    await waitFor(
      () => card.shadowRoot!.querySelector('[role="alert"]')?.textContent === 'This invite link has expired.',
      'the expiry message',
    );
  });

  it('files a request when approval is needed, and tells the requester once approved', async () => {
    const [alice, erin] = await team('Alice', 'Erin');
    const groups = alice!.element.chatClient!.groups;
    const id = await groups.create({ name: 'Approval', memberIds: [] });
    await groups.setJoinPolicy(id, 'approval');
    const { code } = await groups.createInvite(id);

    erin!.element.join = code;
    const card = await waitFor(() => inShadow(erin!.element, 'im-join-card'), 'the join card');
    const join = await waitFor(
      () => [...card.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Join'),
      'the Join button',
    );
    join.click();
    await waitFor(() => card.shadowRoot!.textContent!.includes('Request sent.'), 'the request to be sent');

    await groups.decideJoinRequest(id, erin!.element.chatClient!.user!.id, true);
    const notice = await waitFor(() => inShadow(erin!.element, '.notice'), 'the outcome notice');
    expect(notice.textContent).to.contain('Your request to join “Approval” was approved.');
  });

  it('tells members why they cannot post: muted for everyone, removed', async () => {
    const [alice, bob] = await team('Alice', 'Bob');
    const groups = alice!.element.chatClient!.groups;
    const bobId = bob!.element.chatClient!.user!.id;
    const id = await groups.create({ name: 'Quiet', memberIds: [bobId] });
    await bob!.openConversation('Quiet');

    await groups.muteAll(id, true);
    const note = () => inShadow(bob!.element, 'im-message-pane', '.cannot-post')?.textContent;
    await waitFor(() => note() === 'Only admins can post right now.', 'the muted note');
    await groups.removeMember(id, bobId);
    await waitFor(() => note() === 'You were removed from this group.', 'the removed note');
  });
});
