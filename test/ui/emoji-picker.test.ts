import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { EmojiPickDetail, ImEmojiPicker } from '../../src/ui/im-emoji-picker/im-emoji-picker.js';
import '../../src/ui/im-emoji-picker/im-emoji-picker.js';
import { Translator } from '../../src/ui/i18n/index.js';
import { createElement } from '../../src/ui/registry.js';
import { serverUrl, waitFor } from '../support/browser/im-server.js';

function emojiButtons(picker: ImEmojiPicker): HTMLButtonElement[] {
  return [...picker.shadowRoot!.querySelectorAll<HTMLButtonElement>('.grid button')];
}

describe('<im-emoji-picker>', () => {
  it('shows categories from the data the server ships, searches, and remembers what was used', async () => {
    const dataSource = new URL('dist/emoji/en.json', await serverUrl()).href;
    const picker = createElement('im-emoji-picker');
    picker.translator = new Translator('en');
    picker.dataSource = dataSource;
    await fixture(html`${picker}`);
    await waitFor(() => emojiButtons(picker).length > 50, 'the first category', 20_000);
    expect(emojiButtons(picker)[0]?.textContent?.trim()).to.equal('😀');

    const picked: string[] = [];
    picker.addEventListener('im-emoji-pick', (event) => picked.push((event as CustomEvent<EmojiPickDetail>).detail.unicode));
    picker.focus();
    await sendKeys({ type: 'thumbs up' });
    const thumbs = await waitFor(
      () => emojiButtons(picker).find((b) => b.getAttribute('aria-label') === 'thumbs up'),
      'search results',
    );
    expect(thumbs.textContent?.trim().replace('\ufe0f', '')).to.equal('👍');
    // From the search box, ArrowDown goes into the results; Enter picks.
    await sendKeys({ press: 'ArrowDown' });
    const focused = picker.shadowRoot!.activeElement as HTMLButtonElement;
    await sendKeys({ press: 'Enter' });
    expect(picked).to.deep.equal([focused.textContent!.trim()]);

    // Clearing the search shows the categories again; "Recently used" has the pick.
    picker.shadowRoot!.querySelector('input')!.focus();
    for (let i = 0; i < 'thumbs up'.length; i++) await sendKeys({ press: 'Backspace' });
    const recent = await waitFor(
      () => picker.shadowRoot!.querySelector<HTMLButtonElement>('[role="tab"][aria-label="Recently used"]'),
      'the category tabs',
    );
    recent.click();
    await waitFor(() => emojiButtons(picker).map((b) => b.textContent?.trim()).join() === picked.join(), 'the recent emoji');

    // Escape asks to close.
    let closed = false;
    picker.addEventListener('im-emoji-close', () => (closed = true));
    await sendKeys({ press: 'Escape' });
    expect(closed).to.equal(true);
  });
});
