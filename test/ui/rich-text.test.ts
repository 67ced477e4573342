import { expect } from '@open-wc/testing';
import { isEmojiOnly, splitLinks } from '../../src/ui/text/rich-text.js';

const links = (text: string) => splitLinks(text).filter((part) => part.kind === 'link').map((part) => part.kind === 'link' && part.href);

describe('message text', () => {
  it('links http(s), www and mailto addresses, without the sentence’s punctuation', () => {
    expect(links('see https://example.com/a?b=1, then www.example.org.')).to.deep.equal([
      'https://example.com/a?b=1',
      'https://www.example.org/',
    ]);
    expect(links('write to mailto:help@example.com!')).to.deep.equal(['mailto:help@example.com']);
    expect(links('(https://en.wikipedia.org/wiki/Lit_(software))')).to.deep.equal([
      'https://en.wikipedia.org/wiki/Lit_(software)',
    ]);
    // The text around links stays as it was, character for character.
    const text = '看这里：https://example.cn/页面。好吗？';
    expect(splitLinks(text).map((part) => part.text).join('')).to.equal(text);
    expect(links(text)).to.deep.equal(['https://example.cn/%E9%A1%B5%E9%9D%A2']);
  });

  it('never links other schemes', () => {
    expect(links('javascript:alert(1) data:text/html,x file:///etc/passwd ftp://x.org')).to.deep.equal([]);
  });

  it('shows up to three emoji alone larger, and nothing else', () => {
    expect(isEmojiOnly('😀')).to.equal(true);
    expect(isEmojiOnly(' 👍🏽 ❤️ 👨‍👩‍👧 ')).to.equal(true);
    expect(isEmojiOnly('😀😀😀😀')).to.equal(false);
    expect(isEmojiOnly('ok 👍')).to.equal(false);
    expect(isEmojiOnly('123')).to.equal(false);
    expect(isEmojiOnly('#')).to.equal(false);
  });
});
