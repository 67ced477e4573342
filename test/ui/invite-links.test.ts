import { expect, fixtureCleanup } from '@open-wc/testing';
import { uniqueUser, waitFor } from '../support/browser/im-server.js';
import { inShadow, mount } from '../support/browser/widget.js';

/** The element focused inside nested shadow roots. */
function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('invite links', () => {
  const address = location.href;
  afterEach(() => {
    fixtureCleanup();
    history.replaceState(null, '', address);
  });

  it('are one click from the group header, carry only the invitation, and show as a QR code', async () => {
    // The host page's own state (here, who is signed in) must not travel with the link.
    history.replaceState(null, '', `${location.pathname}?user=alice&tab=2#top`);
    const alice = await mount(uniqueUser('alice'), 'Alice');
    const id = await alice.element.chatClient!.groups.create({ name: 'Book club', memberIds: [] });
    alice.element.openConversation(id);
    const button = await waitFor(
      () => inShadow<HTMLButtonElement>(alice.element, 'im-message-pane', 'button.invite-links'),
      'the invite link button in the header',
    );
    expect(button.getAttribute('aria-label')).to.equal('Invite link');
    button.click();

    const panel = await waitFor(() => inShadow(alice.element, 'im-message-pane', 'im-group-panel'), 'the panel');
    const invites = () => inShadow(panel, 'im-group-settings', 'im-group-invites')!;
    await waitFor(() => deepActiveElement()?.classList.contains('create-link'), '“Create link” focused');
    (deepActiveElement() as HTMLButtonElement).click();

    const item = await waitFor(() => invites().shadowRoot!.querySelector<HTMLElement>('li[data-code]'), 'the new link');
    const link = new URL(item.querySelector<HTMLInputElement>('input.link')!.value);
    expect(link.origin + link.pathname).to.equal(location.origin + location.pathname);
    expect(link.search).to.equal(`?im-join=${item.dataset.code}`);
    expect(link.hash).to.equal('');
    // Share where the browser can, and only there.
    expect(item.querySelector('button.share') !== null).to.equal(typeof navigator.share === 'function');

    item.querySelector<HTMLButtonElement>('button.qr')!.click();
    const code = await waitFor(() => item.querySelector('im-qr-code')?.shadowRoot?.querySelector('svg'), 'the QR code');
    expect(code.getAttribute('aria-label')).to.equal('QR code of the invite link to “Book club”');
    const size = Number(code.getAttribute('viewBox')!.split(' ')[2]);
    // Version 1 is 21 modules, each version 4 more, plus the 4-module quiet zone on both sides.
    expect((size - 8 - 21) % 4).to.equal(0);
    expect(code.querySelector('path')!.getAttribute('d')).to.match(/^M\d+ \d+h1v1h-1z/);
    await expect(panel).to.be.accessible();
  });
});
