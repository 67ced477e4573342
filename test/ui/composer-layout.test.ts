import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, type Widget } from '../support/browser/widget.js';

/** The composer's buttons beside the field, by part, as they are on screen. */
function toolButtons(widget: Widget): string[] {
  const composer = inShadow(widget.element, 'im-message-pane', 'im-composer')!;
  return [...composer.shadowRoot!.querySelectorAll<HTMLElement>('form button[part]:not([part~="send-button"])')]
    .filter((button) => button.getClientRects().length > 0 && !button.hidden)
    .map((button) => button.getAttribute('part')!);
}

const composerOf = (widget: Widget) => inShadow(widget.element, 'im-message-pane', 'im-composer')!;

describe('composer layout', () => {
  afterEach(() => fixtureCleanup());

  it('on a phone keeps attach and emoji beside the field and puts sharing a contact and formatting under More, which the keyboard drives', async () => {
    const { alice, names } = await alicePlusBob();
    alice.element.style.width = '390px';
    await alice.startChatWith(names.bob);
    await waitFor(() => toolButtons(alice).includes('more-button'), 'the More button');
    expect(toolButtons(alice)).to.deep.equal(['attach-button', 'emoji-button', 'more-button']);
    const field = alice.composer();
    // The field keeps most of the row.
    expect(field.getBoundingClientRect().width).to.be.greaterThan(composerOf(alice).getBoundingClientRect().width * 0.45);

    const more = composerOf(alice).shadowRoot!.querySelector<HTMLButtonElement>('button[part="more-button"]')!;
    expect(more.getAttribute('aria-label')).to.equal('More');
    expect(more.getAttribute('aria-haspopup')).to.equal('menu');
    more.focus();
    await sendKeys({ press: 'Enter' });
    const menu = await waitFor(() => inShadow(composerOf(alice), 'im-menu', '[role="menu"]'), 'the More menu');
    expect([...menu.querySelectorAll('button')].map((item) => [item.getAttribute('role'), item.textContent!.trim()])).to.deep.equal([
      ['menuitem', 'Share contact'],
      ['menuitemcheckbox', 'Formatting'],
    ]);
    // The menu opens above its button, inside the screen, not over the field.
    expect(menu.getBoundingClientRect().bottom).to.be.at.most(more.getBoundingClientRect().top);
    await expect(inShadow(composerOf(alice), 'im-menu')!).to.be.accessible();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => inShadow(composerOf(alice), '[part="format-toolbar"]'), 'the formatting toolbar');
    // Closed, the menu gives the keyboard back to More; open again, Formatting is shown as on.
    expect(composerOf(alice).shadowRoot!.activeElement).to.equal(more);
    await sendKeys({ press: 'Enter' });
    const toggle = await waitFor(() => inShadow(composerOf(alice), 'im-menu', 'button[data-id="format"]'), 'the menu again');
    expect(toggle.getAttribute('aria-checked')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await waitFor(() => !inShadow(composerOf(alice), 'im-menu', '[role="menu"]'), 'the menu to close');
    expect(inShadow(composerOf(alice), '[part="format-toolbar"]')).to.not.equal(null);

    // Share contact from the menu opens the people picker.
    more.click();
    (await waitFor(() => inShadow<HTMLButtonElement>(composerOf(alice), 'im-menu', 'button[data-id="share-contact"]'), 'Share contact')).click();
    const picker = await waitFor(() => inShadow(composerOf(alice), 'im-user-picker'), 'the people picker');
    await waitFor(() => picker.shadowRoot!.querySelector('dialog[open]'), 'the picker open');
    expect(picker.shadowRoot!.querySelector('h2')!.textContent).to.equal('Share a contact');
  });

  it('on a wide screen shows every button beside the field, and no More', async () => {
    const { alice, names } = await alicePlusBob();
    alice.element.style.width = '1100px';
    await alice.startChatWith(names.bob);
    await waitFor(() => toolButtons(alice).includes('format-button'), 'the formatting button');
    expect(toolButtons(alice)).to.deep.equal(['attach-button', 'share-contact-button', 'emoji-button', 'format-button']);
    // Narrowed, it puts them away; widened, it brings them back.
    alice.element.style.width = '390px';
    await waitFor(() => toolButtons(alice).includes('more-button'), 'More once narrow');
    alice.element.style.width = '1100px';
    await waitFor(() => toolButtons(alice).includes('share-contact-button'), 'the buttons back once wide');
  });
});
