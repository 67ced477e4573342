import { expect, fixture } from '@open-wc/testing';
import { html, render } from 'lit';
import { findLinks } from '../../src/protocol/formatting.js';
import { formattedText } from '../../src/ui/text/formatted-text.js';
import { isEmojiOnly } from '../../src/ui/text/rich-text.js';

const links = (text: string) => findLinks(text).map((link) => link.href);

/** A message's text rendered as the message list renders it. */
async function rendered(text: string): Promise<HTMLElement> {
  const element = await fixture<HTMLElement>(html`<div></div>`);
  render(formattedText(text), element);
  return element;
}

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

  it('shows marks as elements and everything the author typed as text', async () => {
    const text = '**<img src=x onerror="window.hacked=1">** _[a](javascript:alert(1))_ ~~<script>x</script>~~ `<b>`';
    const element = await rendered(text);
    expect(element.querySelector('img, script, b')).to.equal(null);
    expect(element.querySelector('strong')!.textContent).to.equal('<img src=x onerror="window.hacked=1">');
    expect(element.querySelector('em')!.textContent).to.equal('[a](javascript:alert(1))');
    expect(element.querySelector('s')!.textContent).to.equal('<script>x</script>');
    expect(element.querySelector('code')!.textContent).to.equal('<b>');
    expect(element.querySelectorAll('a')).to.have.length(0);
    expect((window as { hacked?: number }).hacked).to.equal(undefined);
  });

  it('links only http(s) and mailto inside marks, with a safe rel', async () => {
    const element = await rendered('**see https://example.com/a_b** and *javascript:alert(1)*');
    const anchors = [...element.querySelectorAll('a')];
    expect(anchors.map((anchor) => anchor.href)).to.deep.equal(['https://example.com/a_b']);
    expect(anchors[0]!.closest('strong')).to.not.equal(null);
    expect(anchors[0]!.rel).to.equal('noopener noreferrer nofollow ugc');
  });

  it('keeps a code block’s lines and indentation, and highlights it once the highlighter loads', async () => {
    const code = 'function greet(name) {\n\tif (!name) return;\n    console.log(`hi ${name}`); // **not bold**\n}';
    const element = await rendered(`\`\`\`js\n${code}\n\`\`\``);
    const block = element.querySelector('pre code')!;
    expect(block.textContent).to.equal(code);
    expect(element.querySelector('strong')).to.equal(null);
    await waitFor(() => block.querySelector('.token.keyword') !== null);
    expect(block.textContent).to.equal(code);
    expect([...block.querySelectorAll('.token.keyword')].map((token) => token.textContent)).to.include('function');
    expect(block.querySelector('.token.comment')!.textContent).to.equal('// **not bold**');
  });
});

async function waitFor(condition: () => boolean, timeout = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeout) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
