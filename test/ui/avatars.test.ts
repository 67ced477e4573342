import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/ui/im-avatar/im-avatar.js';
import { createElement } from '../../src/ui/registry.js';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, allInShadow, inShadow } from '../support/browser/widget.js';

/** The colour an avatar shows for someone without a picture. */
function colourOf(avatar: Element | null | undefined): string {
  const initials = avatar?.shadowRoot?.querySelector('[part="initials"]');
  if (!initials) throw new Error('no initials avatar');
  return getComputedStyle(initials).backgroundColor;
}

describe('avatars', () => {
  const shownAlone: Element[] = [];
  afterEach(() => shownAlone.splice(0).forEach((element) => element.remove()));

  it('give a person one colour in the people picker, the conversation list and the chat header', async () => {
    const { alice, names } = await alicePlusBob();
    inShadow<HTMLButtonElement>(alice.element, 'button[part="new-chat-button"]')!.click();
    const search = await waitFor(() => inShadow<HTMLInputElement>(alice.element, 'im-user-picker', 'input'), 'the search box');
    search.focus();
    await sendKeys({ type: names.bob });
    const person = await waitFor(
      () =>
        allInShadow<HTMLButtonElement>(alice.element, 'im-user-picker', 'button.person').find(
          (button) => button.textContent?.trim() === names.bob,
        ),
      'Bob in the picker',
    );
    const inPicker = colourOf(person.querySelector('im-avatar'));
    person.click();
    await waitFor(() => alice.openTitle() === names.bob, 'the chat with Bob');
    const row = await waitFor(() => alice.conversationButtons()[0], 'the chat in the list');
    expect(colourOf(row.querySelector('im-avatar'))).to.equal(inPicker);
    expect(colourOf(inShadow(alice.element, 'im-message-pane', '.header im-avatar'))).to.equal(inPicker);
  });

  it('tell numbered visitors apart by their initials', async () => {
    const shown = async (name: string) => {
      // An avatar on its own, from the widget's registry (inner elements are not the page's).
      const avatar = createElement('im-avatar');
      avatar.name = name;
      avatar.setAttribute('user-id', name);
      document.body.append(avatar);
      shownAlone.push(avatar);
      await avatar.updateComplete;
      return avatar.shadowRoot!.querySelector('[part="initials"]')!.textContent!.trim();
    };
    const labels = [await shown('Visitor #1'), await shown('Visitor #11'), await shown('Visitor #12'), await shown('Visitor #1234')];
    expect(labels).to.deep.equal(['V1', 'V11', 'V12', '1234']);
    expect(await shown('Ada Lovelace')).to.equal('AL');
    expect(await shown('王小明')).to.equal('王');
  });
});
