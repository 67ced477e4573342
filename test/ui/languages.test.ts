import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { registerLocale, type ImChat } from '../../src/ui/index.js';
import { Translator } from '../../src/ui/i18n/index.js';
import { serverUrl, tokenFor, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, mount } from '../support/browser/widget.js';

const title = (element: ImChat) => inShadow(element, 'h2')!.textContent;
const newChatLabel = (element: ImChat) =>
  inShadow(element, 'button[part="new-chat-button"]')!.getAttribute('aria-label');

/** Where, left to right on the screen, the character at `index` of an element's only text is drawn. */
function xOf(element: Element, index: number): number {
  const range = document.createRange();
  range.setStart(element.firstChild!, index);
  range.setEnd(element.firstChild!, index + 1);
  return range.getBoundingClientRect().left;
}

describe('languages, plurals and direction', () => {
  afterEach(() => fixtureCleanup());

  it('counts in French: 0 and 1 are singular, 2 is plural', async () => {
    const t = await Translator.load('fr');
    expect(t.t('members', { count: 0 })).to.equal('0 membre');
    expect(t.t('members', { count: 1 })).to.equal('1 membre');
    expect(t.t('members', { count: 2 })).to.equal('2 membres');
    expect(t.t('newMessages', { count: 2 })).to.equal('2 nouveaux messages');
  });

  it('counts in Arabic with its six plural forms', async () => {
    const t = await Translator.load('ar');
    const forms = [0, 1, 2, 3, 11, 100].map((count) => t.t('members', { count }));
    expect(forms[0]).to.equal('لا أعضاء');
    expect(forms[1]).to.equal('عضو واحد');
    expect(forms[2]).to.equal('عضوان');
    expect(forms[3]).to.match(/^\S+ أعضاء$/);
    expect(forms[4]).to.match(/^\S+ عضوًا$/);
    expect(forms[5]).to.match(/^\S+ عضو$/);
    expect(new Set(forms).size).to.equal(6);
  });

  it('shows Arabic right to left, with the send and back arrows mirrored', async () => {
    const { alice, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    // With text written, the composer's button is Send, with its arrow.
    await alice.type('hello');
    const send = () => inShadow(alice.element, 'im-message-pane', 'im-composer', 'svg.directional')!;
    const back = () => inShadow(alice.element, 'im-message-pane', '.header svg.directional')!;
    expect(getComputedStyle(send()).transform).to.equal('none');

    // Phone width: one pane at a time, with a back button.
    alice.element.style.width = '390px';
    alice.element.lang = 'ar';
    await alice.element.updateComplete;
    expect(title(alice.element)).to.equal('المحادثات');
    expect(getComputedStyle(alice.element).direction).to.equal('rtl');
    await waitFor(() => getComputedStyle(send()).transform === 'matrix(-1, 0, 0, 1, 0, 0)', 'the send arrow mirrored');
    expect(back().getBoundingClientRect().width).to.be.greaterThan(0);
    expect(getComputedStyle(back()).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    // The header reads right to left: the avatar at the right of the conversation's name.
    const name = inShadow(alice.element, 'im-message-pane', 'h2')!.getBoundingClientRect();
    const avatar = inShadow(alice.element, 'im-message-pane', '.header im-avatar')!.getBoundingClientRect();
    expect(name.width).to.be.greaterThan(0);
    expect(avatar.left).to.be.greaterThan(name.left);
    expect(back().getBoundingClientRect().left).to.be.greaterThan(avatar.left);
  });

  it('keeps an English time and sentence in their order in a right-to-left widget', async () => {
    const t = await Translator.load('en', { dir: 'rtl' });
    const box = document.createElement('p');
    box.dir = 'rtl';
    box.style.font = '16px sans-serif';
    box.textContent = t.time(new Date(2026, 0, 5, 18, 36).getTime());
    document.body.append(box);
    try {
      const text = box.textContent;
      // "6:36 PM", read left to right, not "PM 6:36".
      expect(xOf(box, text.indexOf('6'))).to.be.lessThan(xOf(box, text.indexOf('P')));
      box.textContent = t.t('beginning');
      const sentence = box.textContent;
      // The full stop ends the sentence on its right, not before "This" on the left.
      expect(xOf(box, sentence.indexOf('.'))).to.be.greaterThan(xOf(box, sentence.indexOf('T')));
    } finally {
      box.remove();
    }
  });

  it('isolates a right-to-left name inside an English sentence, and leaves other names as they are', async () => {
    const t = await Translator.load('en');
    expect(t.t('messages', { name: 'Bob' })).to.equal('Messages with Bob');
    expect(t.t('messages', { name: 'محمد' })).to.equal('Messages with \u2068محمد\u2069');
    const ar = await Translator.load('ar');
    expect(ar.t('messages', { name: 'Bob' })).to.equal('الرسائل مع \u2068Bob\u2069');
  });

  it('takes an integrator’s string in place of its own, and reports a broken one', async () => {
    const element = await fixture<ImChat>(html`<im-chat
      server=${await serverUrl()}
      token=${await tokenFor(uniqueUser('strings'))}
      lang="en"
      .strings=${{ en: { newChat: 'Start talking' }, fr: { newChat: 'Causer' } }}
    ></im-chat>`);
    expect(newChatLabel(element)).to.equal('Start talking');
    expect(title(element)).to.equal('Chats');
    element.lang = 'fr';
    await element.updateComplete;
    expect(newChatLabel(element)).to.equal('Causer');
    expect(title(element)).to.equal('Discussions');

    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      element.strings = { fr: { newChat: 'Causer {' } };
      await element.updateComplete;
    } finally {
      console.error = original;
    }
    expect(newChatLabel(element)).to.equal('Nouvelle discussion');
    expect(String(errors[0]?.[0])).to.contain('newChat');
  });

  it('speaks a language added with registerLocale, English where it has no string', async () => {
    registerLocale('nl', { appTitle: 'Gesprekken', newChat: 'Nieuw gesprek' });
    registerLocale('eo', () => Promise.resolve({ default: { appTitle: 'Babiloj' } }));
    const widget = await mount(uniqueUser('nl'), 'Daan', { lang: 'nl-BE' });
    expect(title(widget.element)).to.equal('Gesprekken');
    expect(newChatLabel(widget.element)).to.equal('Nieuw gesprek');
    expect(inShadow(widget.element, 'button[part="search-button"]')!.getAttribute('aria-label')).to.contain('Search');
    widget.element.lang = 'eo';
    await widget.element.updateComplete;
    expect(title(widget.element)).to.equal('Babiloj');
    expect(() => registerLocale('not a tag', {})).to.throw(/language tag/);
    expect(() => registerLocale('en', {})).to.throw(/strings property/);
  });

  it('changes language live when lang changes, and its direction with it', async () => {
    const widget = await mount(uniqueUser('live'), 'Live');
    expect(title(widget.element)).to.equal('Chats');
    for (const [lang, expected, dir] of [
      ['ja', 'チャット', 'ltr'],
      ['he', 'שיחות', 'rtl'],
      ['fr', 'Discussions', 'ltr'],
      ['zh-CN', '消息', 'ltr'],
      ['en', 'Chats', 'ltr'],
    ] as const) {
      widget.element.lang = lang;
      await widget.element.updateComplete;
      expect(title(widget.element), lang).to.equal(expected);
      expect(getComputedStyle(widget.element).direction, lang).to.equal(dir);
    }
  });

  it('keeps dir="rtl" set by the page, with English text in its own order', async () => {
    const element = await fixture<ImChat>(html`<im-chat
      server=${await serverUrl()}
      token=${await tokenFor(uniqueUser('mirrored'))}
      lang="en"
      dir="rtl"
    ></im-chat>`);
    expect(getComputedStyle(element).direction).to.equal('rtl');
    expect(title(element)).to.equal('\u2068Chats\u2069');
    element.lang = 'ar';
    await element.updateComplete;
    expect(element.getAttribute('dir')).to.equal('rtl');
    expect(title(element)).to.equal('المحادثات');
  });
});
