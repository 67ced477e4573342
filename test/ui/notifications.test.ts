import { expect, fixtureCleanup } from '@open-wc/testing';
import type { ChatClient } from '../../src/client/index.js';
import { online, people, signIn, stopAllClients, texts } from '../support/browser/chat-clients.js';
import { uniqueUser, waitFor } from '../support/browser/im-server.js';
import { inShadow, mount, type Widget } from '../support/browser/widget.js';

/**
 * The browser's Notification API, recording what the page shows. Stubbed because a
 * headless browser has no notification centre to look at; the permission starts unasked.
 */
class RecordedNotification extends EventTarget {
  static permission: NotificationPermission = 'default';
  static shown: RecordedNotification[] = [];
  static async requestPermission(): Promise<NotificationPermission> {
    RecordedNotification.permission = 'granted';
    return 'granted';
  }
  closed = false;
  constructor(
    readonly title: string,
    readonly options: NotificationOptions = {},
  ) {
    super();
    RecordedNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

const realNotification = window.Notification;
const shown = () => RecordedNotification.shown.map((n) => `${n.title}: ${n.options.body}`);

function bell(widget: Widget): HTMLButtonElement {
  return inShadow<HTMLButtonElement>(widget.element, 'button[part="notifications-button"]')!;
}

async function enableNotifications(widget: Widget): Promise<void> {
  bell(widget).click();
  await waitFor(() => bell(widget).getAttribute('aria-label') === 'Turn notifications off', 'notifications on');
}

/**
 * Alice in a widget, notifications on; Bob and Carol, each with a chat with her, as
 * headless clients. The notifications of their first messages are cleared.
 */
async function aliceWithFriends() {
  const aliceId = uniqueUser('alice');
  const alice = await mount(aliceId, 'Alice');
  await enableNotifications(alice);
  const [bob, carol] = await people('Bob', 'Carol');
  const chatWith = async (friend: { client: ChatClient }) => {
    const conversationId = await friend.client.startConversation(aliceId);
    await friend.client.send(conversationId, 'hello');
    return conversationId;
  };
  const conversations = { bob: await chatWith(bob!), carol: await chatWith(carol!) };
  await waitFor(() => RecordedNotification.shown.length === 2, 'the first two notifications');
  RecordedNotification.shown = [];
  return { aliceId, alice, bob: bob!, carol: carol!, conversations };
}

function setVisibility(state: DocumentVisibilityState): void {
  if (state === 'visible') delete (document as { visibilityState?: unknown }).visibilityState;
  else Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('notifications', () => {
  const pageTitle = 'Notifications test page';

  beforeEach(() => {
    RecordedNotification.permission = 'default';
    RecordedNotification.shown = [];
    window.Notification = RecordedNotification as unknown as typeof Notification;
    document.title = pageTitle;
  });

  afterEach(() => {
    fixtureCleanup();
    stopAllClients();
    setVisibility('visible');
    window.Notification = realNotification;
  });

  it('asks for permission from the bell', async () => {
    const alice = await mount(uniqueUser('alice'), 'Alice');
    expect(bell(alice).getAttribute('aria-label')).to.equal('Enable notifications');
    await expect(alice.element).to.be.accessible();
    await enableNotifications(alice);
    expect(RecordedNotification.permission).to.equal('granted');
    bell(alice).click();
    await waitFor(() => bell(alice).getAttribute('aria-label') === 'Enable notifications', 'notifications off');
  });

  it('shows a new message with its sender, and opens it on a click', async () => {
    const { alice, bob, conversations } = await aliceWithFriends();

    await bob.client.send(conversations.bob, 'Are you there?');
    await waitFor(() => RecordedNotification.shown.length === 1, 'a notification');
    expect(shown()).to.deep.equal([`${bob.id}: Are you there?`]);

    RecordedNotification.shown[0]!.dispatchEvent(new Event('click'));
    await waitFor(() => alice.openTitle() === bob.id, 'the chat with Bob to open');
    expect(RecordedNotification.shown[0]!.closed).to.equal(true);
  });

  it('keeps quiet about the open conversation, unless the page is hidden', async () => {
    const { alice, bob, conversations } = await aliceWithFriends();
    await alice.openConversation(bob.id);

    await bob.client.send(conversations.bob, 'seen at once');
    await waitFor(() => alice.messages().some((m) => m.text === 'seen at once'), 'the message on screen');
    setVisibility('hidden');
    await bob.client.send(conversations.bob, 'while away');
    await waitFor(() => RecordedNotification.shown.length === 1, 'a notification');
    expect(shown()).to.deep.equal([`${bob.id}: while away`]);
  });

  it('counts unread messages in the page title, and restores it once they are read', async () => {
    const { alice, bob, conversations } = await aliceWithFriends();
    await waitFor(() => document.title === `(2) ${pageTitle}`, 'the first two messages counted');
    await bob.client.send(conversations.bob, 'one more');
    await waitFor(() => document.title === `(3) ${pageTitle}`, 'three unread in the title');

    await alice.openConversation(bob.id);
    await waitFor(() => document.title === `(1) ${pageTitle}`, 'Bob’s messages read');

    alice.element.noTitleCount = true;
    await waitFor(() => document.title === pageTitle, 'the title left alone');
  });

  it('never notifies for muted conversations, own messages or edits, and chimes when asked', async () => {
    const { aliceId, alice, bob, carol, conversations } = await aliceWithFriends();
    alice.element.sound = true;
    const chimes: AudioContext[] = [];
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      chimes.push(this);
      return createOscillator.call(this);
    };
    try {
      const settings = alice.element.chatClient!.conversations;
      await settings.setSettings(conversations.bob, { notificationsMuted: true });
      await waitFor(() => document.title === `(1) ${pageTitle}`, 'the muted chat out of the title count');
      const aliceElsewhere = await signIn(aliceId);
      await online(aliceElsewhere);

      await bob.client.send(conversations.bob, 'muted');
      await aliceElsewhere.send(conversations.carol, 'from my other tab');
      await carol.client.messages.edit(conversations.carol, 1, 'hello (edited)');
      const sent = async (client: ChatClient, conversationId: string, text: string) =>
        (await texts(client, conversationId)).includes(`${text}:sent`);
      await waitFor(() => sent(bob.client, conversations.bob, 'muted'), 'Bob’s send');
      const fromOtherTab = () => sent(aliceElsewhere, conversations.carol, 'from my other tab');
      await waitFor(fromOtherTab, 'the other tab’s send');

      // Carol's message comes last: whatever the others caused would be there before it.
      await carol.client.send(conversations.carol, 'not muted');
      await waitFor(() => RecordedNotification.shown.length >= 1, 'Carol’s notification');
      expect(shown()).to.deep.equal([`${carol.id}: not muted`]);
      expect(chimes).to.have.length(1);
    } finally {
      AudioContext.prototype.createOscillator = createOscillator;
    }
  });

  it('notifies from one widget only when the same person has two', async () => {
    const { aliceId, bob, conversations } = await aliceWithFriends();
    await mount(aliceId, 'Alice');

    await bob.client.send(conversations.bob, 'first');
    await waitFor(() => RecordedNotification.shown.length >= 1, 'a notification');
    await bob.client.send(conversations.bob, 'second');
    await waitFor(() => shown().some((text) => text.endsWith('second')), 'the second notification');
    expect(shown()).to.deep.equal([`${bob.id}: first`, `${bob.id}: second`]);
  });
});
