import { expect, fixtureCleanup } from '@open-wc/testing';
import type { ImAvatar } from '../../src/ui/im-avatar/im-avatar.js';
import { online, people, signIn, stopAllClients } from '../support/browser/chat-clients.js';
import { uniqueUser, waitFor } from '../support/browser/im-server.js';
import { inShadow, mount, type Widget } from '../support/browser/widget.js';

function rowAvatar(widget: Widget, name: string): ImAvatar | null {
  const rows = widget.conversationButtons();
  const row = rows.find((button) => button.querySelector('.name')?.textContent?.trim() === name);
  return row?.querySelector<ImAvatar>('im-avatar') ?? null;
}

function dotLabel(avatar: ImAvatar | null): string | null {
  return avatar?.shadowRoot?.querySelector('[part="online"]')?.getAttribute('aria-label') ?? null;
}

function presenceLine(widget: Widget): string {
  return inShadow(widget.element, 'im-message-pane', '[part="presence"]')?.textContent?.trim() ?? '';
}

describe('presence in <im-chat>', () => {
  afterEach(() => {
    fixtureCleanup();
    stopAllClients();
  });

  it('shows who is online in the list and the chat, and when they were last seen', async () => {
    const aliceId = uniqueUser('alice');
    const alice = await mount(aliceId, 'Alice');
    const [bob] = await people('Bob');
    const conversationId = await bob!.client.startConversation(aliceId);
    await bob!.client.send(conversationId, 'hi');

    await waitFor(() => rowAvatar(alice, bob!.id)?.online, 'the online dot on Bob’s row');
    expect(dotLabel(rowAvatar(alice, bob!.id))).to.equal('Online');
    await alice.openConversation(bob!.id);
    await waitFor(() => presenceLine(alice) === 'Online', '“Online” in the chat’s header');
    await expect(alice.element).to.be.accessible();

    bob!.client.stop();
    await waitFor(() => presenceLine(alice) === 'Last seen just now', '“Last seen” once Bob left');
    expect(rowAvatar(alice, bob!.id)?.online).to.equal(false);

    // Bob comes back on another device: the dot is back.
    const bobAgain = await signIn(bob!.id);
    await online(bobAgain);
    await waitFor(() => rowAvatar(alice, bob!.id)?.online, 'the dot to come back');
    expect(presenceLine(alice)).to.equal('Online');
  });

  it('says it in the widget’s language', async () => {
    const aliceId = uniqueUser('alice');
    const alice = await mount(aliceId, 'Alice', { lang: 'zh-CN' });
    const [bob] = await people('Bob');
    await bob!.client.send(await bob!.client.startConversation(aliceId), '你好');
    await alice.openConversation(bob!.id);
    await waitFor(() => presenceLine(alice) === '在线', '“在线” in the header');
    bob!.client.stop();
    await waitFor(() => presenceLine(alice) === '刚刚在线', '“刚刚在线” once Bob left');
  });
});
