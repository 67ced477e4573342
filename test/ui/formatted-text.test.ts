import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { pressChord } from '../support/browser/input.js';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, allInShadow, messageButton, type Widget } from '../support/browser/widget.js';

function bubbleWith(widget: Widget, text: string): HTMLElement | undefined {
  return [...(widget.messageList()?.shadowRoot?.querySelectorAll<HTMLElement>('li.message') ?? [])].find(
    (item) => item.dataset['status'] === 'sent' && item.querySelector('.text')?.textContent?.includes(text),
  );
}

function toolbarButton(widget: Widget, label: string): HTMLButtonElement {
  return allInShadow<HTMLButtonElement>(widget.element, 'im-message-pane', 'im-composer', '.format-toolbar button').find(
    (button) => button.getAttribute('aria-label') === label,
  )!;
}

/** A paste of plain text into the empty composer, as the browser does it: the text goes in as it is, then `input`. */
function paste(widget: Widget, text: string): void {
  const composer = widget.composer();
  composer.focus();
  composer.value = text;
  composer.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true, composed: true }));
}

async function chat() {
  const people = await alicePlusBob();
  await people.alice.startChatWith(people.names.bob);
  await people.alice.send('Hi');
  await people.bob.openConversation(people.names.alice);
  await waitFor(() => bubbleWith(people.bob, 'Hi'), 'Bob to see the first message');
  return people;
}

describe('formatted text between two people', () => {
  it('formats with shortcuts and the toolbar, and the other person sees the structure', async () => {
    const { alice, bob, names } = await chat();
    const composer = alice.composer();
    await alice.type('Ship ');
    await pressChord('Control+b');
    await alice.type('it');
    await sendKeys({ press: 'End' });
    await alice.type(' ');
    await pressChord('Control+i');
    await alice.type('today');
    await sendKeys({ press: 'End' });
    await pressChord('Shift+Enter');
    await alice.type('old plan');
    await pressChord('Shift+Home');
    await pressChord('Control+Shift+X');
    await sendKeys({ press: 'End' });
    await alice.type(' and ');
    await pressChord('Control+e');
    await alice.type('npm test');
    await sendKeys({ press: 'End' });
    await pressChord('Shift+Enter');
    await alice.type('quoted words');
    await alice.composerTool('format');
    await waitFor(() => toolbarButton(alice, 'Quote'), 'the formatting toolbar');
    toolbarButton(alice, 'Quote').click();
    await sendKeys({ press: 'End' });
    await pressChord('Shift+Enter');
    await alice.type('first');
    toolbarButton(alice, 'List').click();
    await sendKeys({ press: 'End' });
    await pressChord('Shift+Enter');
    await alice.type('- second');
    expect(composer.value).to.equal('Ship **it** _today_\n~~old plan~~ and `npm test`\n> quoted words\n- first\n- second');
    await sendKeys({ press: 'Enter' });

    const bubble = await waitFor(() => bubbleWith(bob, 'quoted words'), 'Bob to get the formatted message');
    const text = bubble.querySelector('.text')!;
    expect(text.querySelector('strong')?.textContent).to.equal('it');
    expect(text.querySelector('em')?.textContent).to.equal('today');
    expect(text.querySelector('s')?.textContent).to.equal('old plan');
    expect(text.querySelector('code')?.textContent).to.equal('npm test');
    expect(text.querySelector('blockquote')?.textContent).to.equal('quoted words');
    expect([...text.querySelectorAll('ul > li')].map((item) => item.textContent)).to.deep.equal(['first', 'second']);
    expect(text.textContent).to.not.match(/\*|~~|`|^>|^- /m);
    // The list shows the words, not the marks.
    const preview = await waitFor(
      () => allInShadow(bob.element, 'im-conversation-list', 'button.item').find((item) => item.textContent?.includes(names.alice)),
      'the conversation in Bob’s list',
    );
    await waitFor(() => preview.querySelector('.preview')?.textContent?.trim() === 'Ship it today', 'the plain preview');
  });

  it('sends pasted code as a highlighted block that keeps every space', async () => {
    const { alice, bob } = await chat();
    const code = 'def greet(name):\n    if not name:\n\treturn None  # **no marks here**\n    return f"hi {name}"';
    paste(alice, code);
    alice.composer().select();
    await alice.composerTool('format');
    await waitFor(() => toolbarButton(alice, 'Code block'), 'the formatting toolbar');
    toolbarButton(alice, 'Code block').click();
    // The code stays selected inside its fence.
    await waitFor(() => alice.composer().value.startsWith('```\n') && alice.composer().selectionStart === 4, 'the fence around the code');
    expect(alice.composer().selectionEnd).to.equal(4 + code.length);
    // The language goes right after the opening fence.
    alice.composer().setSelectionRange(3, 3);
    await alice.type('python');
    expect(alice.composer().value).to.equal(`\`\`\`python\n${code}\n\`\`\``);
    await sendKeys({ press: 'Enter' });

    const bubble = await waitFor(() => bubbleWith(bob, 'def greet'), 'Bob to get the code');
    const block = bubble.querySelector<HTMLElement>('pre code')!;
    expect(block.textContent).to.equal(code);
    await waitFor(() => block.querySelector('.token.keyword'), 'the code highlighted');
    expect(block.textContent).to.equal(code);
    expect([...block.querySelectorAll('.token.keyword')].map((token) => token.textContent)).to.include.members(['def', 'if', 'return']);
    expect(block.querySelector('.token.comment')?.textContent).to.equal('# **no marks here**');
    expect(getComputedStyle(block.parentElement!).whiteSpace).to.equal('pre');
    expect(bubble.querySelector('strong')).to.equal(null);
  });

  it('shows a hostile text as text, links only where they are safe', async () => {
    const { alice, bob } = await chat();
    const hostile = '**<img src=x onerror="window.pwned=1">** _javascript:alert(1)_ ~~<a href="javascript:alert(2)">x</a>~~';
    paste(alice, hostile);
    await sendKeys({ press: 'Enter' });
    const bubble = await waitFor(() => bubbleWith(bob, 'onerror'), 'Bob to get the text');
    const text = bubble.querySelector('.text')!;
    expect(text.querySelector('img')).to.equal(null);
    expect(text.querySelector('a')).to.equal(null);
    expect(text.querySelector('strong')?.textContent).to.equal('<img src=x onerror="window.pwned=1">');
    expect(text.querySelector('em')?.textContent).to.equal('javascript:alert(1)');
    expect(text.querySelector('s')?.textContent).to.equal('<a href="javascript:alert(2)">x</a>');
    expect((window as { pwned?: number }).pwned).to.equal(undefined);
  });

  it('quotes a formatted message as plain words, and an edit changes its marks for both', async () => {
    const { alice, bob } = await chat();
    await alice.send('**Lunch** at _noon_?');
    const bobsCopy = await waitFor(() => bubbleWith(bob, 'Lunch'), 'Bob to get the message');
    expect(bobsCopy.querySelector('strong')?.textContent).to.equal('Lunch');
    await act(bob, 'Lunch', 'Reply');
    await bob.send('Yes');
    const reply = await waitFor(() => bubbleWith(alice, 'Yes'), 'Alice to get the reply');
    expect(reply.querySelector('.quote-text')?.textContent).to.equal('Lunch at noon?');

    await act(alice, 'Lunch', 'Edit');
    expect(alice.composer().value).to.equal('**Lunch** at _noon_?');
    alice.composer().select();
    await alice.send('Lunch at ~~noon~~ **one**?');
    const edited = await waitFor(() => bubbleWith(bob, 'one?')?.querySelector('s') ? bubbleWith(bob, 'one?') : null, 'Bob to see the edit');
    expect(edited.querySelector('s')?.textContent).to.equal('noon');
    expect(edited.querySelector('strong')?.textContent).to.equal('one');
    expect(edited.querySelector('em')).to.equal(null);
  });
});

/** Opens a message's actions with its menu button and picks one. */
async function act(widget: Widget, text: string, label: string): Promise<void> {
  const item = await waitFor(() => bubbleWith(widget, text), `"${text}" sent`);
  (await messageButton(item, 'more')).click();
  const choice = await waitFor(
    () =>
      [...widget.messageList()!.shadowRoot!.querySelectorAll('im-menu')]
        .flatMap((menu) => [...menu.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="menuitem"]')])
        .find((button) => button.textContent?.trim() === label),
    `"${label}" among the actions`,
  );
  choice.click();
}
