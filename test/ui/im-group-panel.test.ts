import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { io } from 'socket.io-client';
import type { ChatClient } from '../../src/client/index.js';
import { signIn, stopAllClients } from '../support/browser/chat-clients.js';
import { serverUrl, startServer, stopServer, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, allInShadow, inShadow, mount } from '../support/browser/widget.js';

interface Person {
  id: string;
  name: string;
}

function person(first: string): Person {
  return { id: uniqueUser(first), name: `${first} ${crypto.randomUUID().slice(0, 4)}` };
}

/** A headless client signed in as `who`, so that they exist and can be added to groups. */
async function online(who: Person): Promise<ChatClient> {
  const client = await signIn(who.id, { token: await tokenFor(who.id, { name: who.name }) });
  await waitFor(() => client.status === 'online', `${who.name} to be online`, 15_000);
  return client;
}

/** Many people known to the server, each after one short connection. */
async function register(people: Person[]): Promise<void> {
  const url = await serverUrl();
  await Promise.all(
    people.map(async (who) => {
      const token = await tokenFor(who.id, { name: who.name });
      const socket = io(url, { auth: { token }, forceNew: true, transports: ['websocket'] });
      await new Promise<void>((resolve, reject) => {
        socket.on('session:ready', () => resolve());
        socket.on('connect_error', reject);
      });
      socket.disconnect();
    }),
  );
}

/** The group panel of a widget, driven through what it renders. */
class Panel {
  constructor(readonly widget: Widget) {}

  get element(): HTMLElement | null {
    return inShadow(this.widget.element, 'im-message-pane', 'im-group-panel');
  }

  part<T extends Element = HTMLElement>(...path: string[]): T | null {
    return this.element ? inShadow<T>(this.element, ...path) : null;
  }

  all<T extends Element = HTMLElement>(...path: string[]): T[] {
    return this.element ? allInShadow<T>(this.element, ...path) : [];
  }

  async close(): Promise<void> {
    this.part<HTMLButtonElement>('button.close')!.click();
    await waitFor(() => this.element === null, 'the panel to close');
  }

  isOpen(): boolean {
    return this.part<HTMLDialogElement>('dialog')?.open ?? false;
  }

  tabs(): string[] {
    return this.all("[role='tab']").map((tab) => tab.textContent!.trim());
  }

  async showTab(name: 'info' | 'members' | 'settings'): Promise<void> {
    const tab = await waitFor(() => this.part<HTMLButtonElement>(`[role='tab'].${name}`), `the ${name} tab`);
    tab.click();
    await waitFor(() => tab.getAttribute('aria-selected') === 'true', `the ${name} tab to show`);
  }

  info(selector: string): string {
    return this.part('im-group-info', selector)?.textContent?.trim() ?? '';
  }

  memberRow(name: string): HTMLElement | undefined {
    return this.all('im-group-members', '.member').find((row) =>
      row.querySelector('.name')?.textContent?.trim().startsWith(name),
    );
  }

  /** "Bob 1a2b [Admin] [Muted]" for each rendered row. */
  members(): string[] {
    return this.all('im-group-members', '.member').map((row) =>
      [row.querySelector('.name')!.textContent!.trim(), ...[...row.querySelectorAll('.badge')].map((b) => `[${b.textContent!.trim()}]`)].join(' '),
    );
  }

  async openMenu(name: string): Promise<HTMLElement> {
    const button = await waitFor(
      () => this.memberRow(name)?.querySelector<HTMLButtonElement>('.menu-button:not(:disabled)'),
      `the menu button of ${name}`,
    );
    button.click();
    return waitFor(() => this.memberRow(name)?.querySelector<HTMLElement>("[role='menu']"), `${name}'s menu`);
  }

  async memberAction(name: string, action: string): Promise<void> {
    const menu = await this.openMenu(name);
    menu.querySelector<HTMLButtonElement>(`[role='menuitem'].${action}`)!.click();
  }

  /** Presses the confirm button of the confirmation dialog inside `host`. */
  async confirm(...host: string[]): Promise<string> {
    const dialog = await waitFor(
      () => this.part<HTMLDialogElement>(...host, 'im-group-confirm', 'dialog[open]'),
      'the confirmation',
    );
    const question = dialog.querySelector('#message')!.textContent!;
    dialog.querySelector<HTMLButtonElement>('button[value="confirm"]')!.click();
    return question;
  }
}

async function openPanel(widget: Widget, conversationId: string): Promise<Panel> {
  widget.element.openConversation(conversationId);
  const info = await waitFor(
    () => inShadow<HTMLButtonElement>(widget.element, 'im-message-pane', 'button.info'),
    'the group info button',
  );
  info.click();
  const panel = new Panel(widget);
  await waitFor(() => panel.isOpen(), 'the group panel to open');
  return panel;
}

async function typeInto(field: HTMLInputElement | HTMLTextAreaElement, text: string): Promise<void> {
  field.focus();
  field.select();
  await sendKeys({ type: text });
}

describe('<im-group-panel>', () => {
  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    await startServer(); // if a test stopped it
  });

  // The people made here (150 for the big group) would crowd other files' searches on the shared server.
  after(() => startServer({ fresh: true }));

  it('shows the group, is accessible, and lets the owner edit its info', async () => {
    const [bob, carol, dan] = [person('Bob'), person('Carol'), person('Dan')];
    await online(bob);
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Book club', memberIds: [bob.id] });
    const panel = await openPanel(alice, id);

    expect(panel.info('.group-name')).to.equal('Book club');
    expect(panel.info('.member-count')).to.equal('2 members');
    expect(panel.tabs()).to.deep.equal(['Info', 'Members', 'Settings']);
    await expect(panel.element).to.be.accessible();

    panel.part<HTMLButtonElement>('im-group-info', 'button.edit')!.click();
    const name = await waitFor(() => panel.part<HTMLInputElement>('im-group-info', '#field-name'), 'the form');
    expect(panel.part('im-group-info')!.shadowRoot!.activeElement === name).to.equal(true);
    await typeInto(name, 'Reading club');
    await typeInto(panel.part<HTMLTextAreaElement>('im-group-info', '#field-announcement')!, 'Next: Dune');
    await typeInto(panel.part<HTMLInputElement>('im-group-info', '#field-avatar')!, 'javascript:alert(1)');
    await expect(panel.element).to.be.accessible();
    panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.click();
    await waitFor(() => panel.info('#problem-avatar'), 'the picture URL to be refused');
    expect(panel.info('#problem-avatar')).to.equal('Enter a web address that starts with http:// or https://.');
    expect(panel.part('im-group-info', '#field-avatar')!.getAttribute('aria-invalid')).to.equal('true');

    await typeInto(panel.part<HTMLInputElement>('im-group-info', '#field-avatar')!, 'https://example.com/club.png');
    panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.click();
    await waitFor(() => panel.info('.group-name') === 'Reading club', 'the new name in the panel');
    await waitFor(() => panel.info('.announcement') === 'Next: Dune', 'the new announcement in the panel');
    const group = await alice.element.chatClient!.cache!.conversation(id);
    expect(group?.type === 'group' && group.avatar).to.equal('https://example.com/club.png');
    await waitFor(() => alice.openTitle() === 'Reading club', 'the new name in the conversation header');
    expect(panel.part('im-group-info', 'form') === null).to.equal(true);

    await panel.showTab('members');
    await waitFor(() => panel.members().length === 2, 'both members');
    expect(panel.members()).to.deep.equal(['Alice (you) [Owner]', bob.name]);
    await expect(panel.element).to.be.accessible();

    // Add people: search, pick two, add them at once.
    await Promise.all([online(carol), online(dan)]);
    panel.part<HTMLButtonElement>('im-group-members', 'button.add-people')!.click();
    const picker = ['im-group-members', 'im-group-add-people'];
    await waitFor(() => panel.part<HTMLDialogElement>(...picker, 'dialog')?.open, 'the add-people dialog');
    await expect(panel.part(...picker)).to.be.accessible();
    for (const who of [carol, dan]) {
      await typeInto(panel.part<HTMLInputElement>(...picker, '#search')!, who.name);
      const box = await waitFor(
        () =>
          panel
            .all<HTMLLabelElement>(...picker, '.results label')
            .find((label) => label.textContent?.includes(who.name))
            ?.querySelector('input'),
        `${who.name} in the results`,
      );
      box.click();
    }
    const add = panel.part<HTMLButtonElement>(...picker, 'button.add')!;
    await waitFor(() => add.textContent!.trim() === 'Add (2)', 'two people chosen');
    add.click();
    await waitFor(() => !panel.part<HTMLDialogElement>(...picker, 'dialog')!.open, 'the dialog to close');
    await waitFor(() => panel.members().length === 4, 'four members');
    expect(panel.members().slice(2).sort()).to.deep.equal([carol.name, dan.name].sort());
    await panel.showTab('settings');
    await expect(panel.element).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await waitFor(() => panel.element === null, 'Escape to close the panel');
  });

  it('keeps what the owner types while the group changes on another device, and keeps that change', async () => {
    const bob = person('Bob');
    await online(bob);
    const aliceId = uniqueUser('alice');
    const alice = await mount(aliceId, 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Book club', memberIds: [bob.id] });
    const otherDevice = await online({ id: aliceId, name: 'Alice' });
    const panel = await openPanel(alice, id);

    panel.part<HTMLButtonElement>('im-group-info', 'button.edit')!.click();
    await waitFor(() => panel.part<HTMLInputElement>('im-group-info', '#field-name'), 'the form');
    await typeInto(panel.part<HTMLTextAreaElement>('im-group-info', '#field-announcement')!, 'Next: ');
    // The other device's change re-renders the form in the middle of the typing.
    await otherDevice.groups.update({ conversationId: id, description: 'We read on Sundays' });
    await waitFor(() => panel.info('.description') === 'We read on Sundays', 'the change from the other device');
    await sendKeys({ type: 'Dune' });
    expect(panel.part<HTMLTextAreaElement>('im-group-info', '#field-announcement')!.value).to.equal('Next: Dune');
    panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.click();
    await waitFor(() => panel.info('.announcement') === 'Next: Dune', 'the announcement in the panel');
    expect(panel.info('.description')).to.equal('We read on Sundays');
  });

  it('lets the owner make someone admin, mute, unmute and remove them; the person removed sees it', async () => {
    const carol = person('Carol');
    await online(carol);
    const bob = await mount(uniqueUser('bob'), 'Bob');
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const bobId = bob.element.chatClient!.user!.id;
    const id = await alice.element.chatClient!.groups.create({ name: 'Team', memberIds: [bobId, carol.id] });
    const panel = await openPanel(alice, id);
    await panel.showTab('members');
    await waitFor(() => panel.members().length === 3, 'three members');

    await panel.memberAction('Bob', 'make-admin');
    await waitFor(() => panel.members().includes('Bob [Admin]'), 'Bob to be an admin');

    // The menu by keyboard: Enter opens it on its first item; arrows move; Escape closes only the menu.
    const menuButton = panel.memberRow('Bob')!.querySelector<HTMLButtonElement>('.menu-button')!;
    menuButton.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => panel.memberRow('Bob')?.querySelector("[role='menu']"), 'the menu');
    const labels = [...panel.memberRow('Bob')!.querySelectorAll("[role='menuitem']")].map((b) => b.textContent!.trim());
    expect(labels).to.deep.equal(['Remove admin', 'Make owner', 'Mute', 'Remove from group', 'Remove and ban', 'Block']);
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !panel.memberRow('Bob')?.querySelector("[role='menu']"), 'the menu to close');
    expect(panel.isOpen()).to.equal(true);
    expect(menuButton.getAttribute('aria-expanded')).to.equal('false');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => panel.memberRow('Bob')?.querySelector("[role='menu']"), 'the menu again');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => panel.members().includes('Bob [Admin] [Muted]'), 'Bob to be muted');

    await panel.memberAction('Bob', 'unmute');
    await waitFor(() => panel.members().includes('Bob [Admin]'), 'Bob to be unmuted');

    // Bob has the group open on his own widget while he is removed.
    bob.element.openConversation(id);
    await waitFor(() => inShadow(bob.element, 'im-message-pane', 'im-composer'), 'Bob’s composer');
    await panel.memberAction('Bob', 'remove');
    expect(await panel.confirm('im-group-members')).to.equal('Remove Bob from the group?');
    await waitFor(() => !panel.memberRow('Bob'), 'Bob to leave the list');
    expect(panel.info('.member-count')).to.equal('2 members');
    await waitFor(
      () => inShadow(bob.element, 'im-message-pane', '.cannot-post')?.textContent?.trim() === 'You were removed from this group.',
      'Bob to be told he was removed',
    );
  });

  it('creates, copies and revokes invite links, counts their uses, and approves join requests', async () => {
    const dave = person('Dave');
    const erin = person('Erin');
    const daveClient = await online(dave);
    const erinClient = await online(erin);
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Open house', memberIds: [] });
    const panel = await openPanel(alice, id);
    await panel.showTab('settings');
    const invites = ['im-group-settings', 'im-group-invites'];
    await waitFor(() => panel.part(...invites, '.no-links')?.textContent === 'No active links.', 'no links yet');

    panel.part<HTMLSelectElement>(...invites, '#expiry')!.value = 'day';
    panel.part(...invites, '#expiry')!.dispatchEvent(new Event('change'));
    await typeInto(panel.part<HTMLInputElement>(...invites, '#max-uses')!, '0');
    panel.part<HTMLButtonElement>(...invites, 'button.create-link')!.click();
    await waitFor(() => panel.part(...invites, '#max-uses-problem'), 'zero uses to be refused');
    await typeInto(panel.part<HTMLInputElement>(...invites, '#max-uses')!, '5');
    panel.part<HTMLButtonElement>(...invites, 'button.create-link')!.click();
    const item = await waitFor(() => panel.part(...invites, 'li[data-code]'), 'the new link');
    const code = item.dataset.code!;
    const link = new URL(item.querySelector<HTMLInputElement>('input.link')!.value);
    expect(link.searchParams.get('im-join')).to.equal(code);
    expect(item.querySelector('.uses')!.textContent).to.equal('Used: 0 of 5');
    expect(item.querySelector('.expires')!.textContent).to.match(/^Expires /);
    await expect(panel.element).to.be.accessible();

    const joined = await daveClient.groups.joinByInvite(code);
    expect(joined.status).to.equal('joined');
    await waitFor(() => panel.part(...invites, 'li[data-code] .uses')?.textContent === 'Used: 1 of 5', 'one use');

    panel.part<HTMLButtonElement>(...invites, 'li[data-code] button.copy')!.click();
    await waitFor(() => panel.part(...invites, '.copy-status')?.textContent, 'the copy to be answered');
    const copied = panel.part(...invites, '.copy-status')!.textContent!;
    expect(['Copied', 'Copying was blocked. The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.']).to.include(copied);

    const muteAll = panel.part<HTMLInputElement>('im-group-settings', '#mute-all')!;
    expect(muteAll.getAttribute('role')).to.equal('switch');
    muteAll.click();
    await waitFor(async () => {
      const group = await alice.element.chatClient!.cache!.conversation(id);
      return group?.type === 'group' && group.mutedAll;
    }, 'only admins to be able to post');
    expect(muteAll.checked).to.equal(true);

    // Joining now needs approval: Erin's link asks, and Alice approves.
    panel.part<HTMLInputElement>('im-group-settings', '#policy-approval')!.click();
    await waitFor(() => panel.part<HTMLInputElement>('im-group-settings', '#policy-approval')!.checked, 'approval');
    await waitFor(async () => {
      const group = await alice.element.chatClient!.cache!.conversation(id);
      return group?.type === 'group' && group.joinPolicy === 'approval';
    }, 'the policy to be saved');
    expect((await erinClient.groups.joinByInvite(code)).status).to.equal('requested');
    await waitFor(() => panel.part("[role='tab'].members .count")?.textContent === '1', 'a request count on the tab');
    await panel.showTab('members');
    const approve = await waitFor(
      () => panel.part<HTMLButtonElement>('im-group-requests', `li[data-user-id="${erin.id}"] button.approve`),
      'Erin’s request',
    );
    expect(approve.getAttribute('aria-label')).to.equal(`Approve ${erin.name}`);
    await expect(panel.element).to.be.accessible();
    approve.click();
    await waitFor(() => panel.memberRow(erin.name), 'Erin in the member list');
    await waitFor(() => !panel.part("[role='tab'].members .count"), 'no more requests');
    await waitFor(() => panel.part('im-group-requests', '.note')?.textContent === 'No one is waiting to join.', 'none waiting');

    await panel.showTab('settings');
    panel.part<HTMLButtonElement>(...invites, 'li[data-code] button.revoke')!.click();
    await panel.confirm(...invites);
    await waitFor(() => !panel.part(...invites, 'li[data-code]'), 'the link to go');
    const refused = await daveClient.groups.previewInvite(code).then(
      () => 'accepted',
      (error: { code: string }) => error.code,
    );
    expect(refused).to.equal('invite_invalid');
  });

  it('lets a member leave; the owner is told to hand over instead, and may dismiss', async () => {
    const bob = await mount(uniqueUser('bob'), 'Bob');
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({
      name: 'Short story',
      memberIds: [bob.element.chatClient!.user!.id],
    });

    const owner = await openPanel(alice, id);
    expect(owner.info('.owner-note')).to.equal(
      'You are the owner. To leave, first make someone else the owner (Members, then the menu next to their name), or dismiss the group.',
    );
    expect(owner.part('im-group-info', 'button.leave') === null).to.equal(true);
    expect(owner.part('im-group-info', 'button.dismiss')!.textContent!.trim()).to.equal('Dismiss group');
    await owner.close();

    await waitFor(async () => (await bob.element.chatClient!.cache!.conversation(id)) !== undefined, 'Bob to know the group');
    const member = await openPanel(bob, id);
    expect(member.tabs()).to.deep.equal(['Info', 'Members']);
    expect(member.part('im-group-info', 'button.edit') === null).to.equal(true);
    await member.showTab('members');
    await waitFor(() => member.members().length === 2, 'the members, for Bob');
    // A member manages nobody: the only menu, on Alice's row, offers to block her.
    expect(member.all('im-group-members', '.menu-button').length).to.equal(1);
    member.all<HTMLButtonElement>('im-group-members', '.menu-button')[0]!.click();
    await waitFor(() => member.all('im-group-members', "[role='menuitem']").length > 0, 'the menu of Alice’s row');
    expect(member.all('im-group-members', "[role='menuitem']").map((item) => item.textContent!.trim())).to.deep.equal(['Block']);
    member.all<HTMLButtonElement>('im-group-members', '.menu-button')[0]!.click();
    expect(member.part('im-group-members', 'button.add-people') === null).to.equal(true);
    await member.showTab('info');
    member.part<HTMLButtonElement>('im-group-info', 'button.leave')!.click();
    expect(await member.confirm('im-group-info')).to.equal('Leave “Short story”? You will no longer get its messages.');
    await waitFor(
      () => member.info('.standing') === 'You are no longer a member of this group.',
      'the panel to turn read-only',
    );
    expect(member.tabs()).to.deep.equal([]);
    expect(member.part('im-group-info', 'button.leave') === null).to.equal(true);
    expect(member.info('.group-name')).to.equal('Short story');
    await expect(member.element).to.be.accessible();
    await member.close();

    const again = await openPanel(alice, id);
    again.part<HTMLButtonElement>('im-group-info', 'button.dismiss')!.click();
    await again.confirm('im-group-info');
    await waitFor(() => again.info('.standing') === 'This group was dismissed.', 'the group to be dismissed');
    expect(again.tabs()).to.deep.equal([]);
  });

  it('shows a failed action next to it, and the panel keeps working', async () => {
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Offline', memberIds: [] });
    const panel = await openPanel(alice, id);
    await stopServer();
    await waitFor(() => alice.element.chatClient!.status !== 'online', 'the connection to drop');

    panel.part<HTMLButtonElement>('im-group-info', 'button.edit')!.click();
    const name = await waitFor(() => panel.part<HTMLInputElement>('im-group-info', '#field-name'), 'the form');
    await typeInto(name, 'Renamed');
    panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.click();
    await waitFor(() => panel.part('im-group-info', 'form [role="alert"]'), 'the error');
    expect(panel.part('im-group-info', 'form [role="alert"]')!.textContent).to.equal('You are offline.');
    expect(panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.disabled).to.equal(false);

    await startServer();
    await waitFor(() => alice.element.chatClient!.status === 'online', 'the connection to return', 15_000);
    panel.part<HTMLButtonElement>('im-group-info', 'button.save')!.click();
    await waitFor(() => panel.info('.group-name') === 'Renamed', 'the rename to go through');
  });

  it('lists a big group page by page, rendering only the rows in view', async () => {
    const people = Array.from({ length: 150 }, (_, index) => person(`Member${String(index).padStart(3, '0')}`));
    await register(people);
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Crowd', memberIds: people.map((p) => p.id) });
    const panel = await openPanel(alice, id);
    await panel.showTab('members');
    const list = await waitFor(() => panel.part('im-group-members', '.list'), 'the list');
    await waitFor(() => panel.members().length > 0, 'the first rows');
    expect(panel.part("im-group-members", '.toolbar .note')!.textContent).to.equal('151 members');
    // Fewer rows in the DOM than members: the rest are virtual.
    expect(panel.members().length < 60).to.equal(true);
    const cached = async () => (await alice.element.chatClient!.cache!.membersOf(id)).length;
    await waitFor(async () => (await cached()) >= 100, 'the first page');

    for (let i = 0; i < 40 && (await cached()) < 151; i++) {
      list.scrollTop = list.scrollHeight;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await cached()).to.equal(151);
    await waitFor(() => {
      list.scrollTop = list.scrollHeight;
      return panel.members().some((row) => row.startsWith(people.at(-1)!.name));
    }, 'the last member in view');
    const last = panel.memberRow(people.at(-1)!.name)!;
    expect(last.getAttribute('aria-posinset')).to.equal('151');
    expect(last.getAttribute('aria-setsize')).to.equal('151');

    // The list loads again from its first page while the last rows are in view: the shorter
    // list must render without errors, and the rest comes back as it loads.
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent | PromiseRejectionEvent) =>
      errors.push('reason' in event ? event.reason : event.error);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      panel.part<HTMLElement & { refresh(): void }>('im-group-members')!.refresh();
      await waitFor(async () => (await cached()) === 151 && !panel.part('im-group-members', ".list[aria-busy='true']"), 'the list again');
      await waitFor(() => {
        list.scrollTop = list.scrollHeight;
        return panel.members().some((row) => row.startsWith(people.at(-1)!.name));
      }, 'the last member in view again');
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
    expect(errors.map(String)).to.deep.equal([]);
  });
});
