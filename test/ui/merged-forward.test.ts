import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { people, stopAllClients, texts } from '../support/browser/chat-clients.js';
import { imageFile } from '../support/browser/images.js';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, messageButton, screenshotAlone, type Widget } from '../support/browser/widget.js';

const listRoot = (widget: Widget) => widget.messageList()!.shadowRoot!;
const rows = (widget: Widget) => [...(widget.messageList()?.shadowRoot?.querySelectorAll<HTMLElement>('li.message') ?? [])];
const rowWith = (widget: Widget, text: string) => rows(widget).find((row) => row.textContent?.includes(text));
const imageRow = (widget: Widget) => rows(widget).find((row) => row.querySelector('im-attachment'));
const bar = (widget: Widget) => inShadow(widget.element, 'im-message-pane', 'im-selection-bar');
const barPart = <T extends Element = HTMLElement>(widget: Widget, selector: string) =>
  bar(widget)?.shadowRoot?.querySelector<T>(selector) ?? null;
const checked = (widget: Widget) =>
  [...listRoot(widget).querySelectorAll('[part="select-checkbox"]')].filter((box) => box.getAttribute('aria-checked') === 'true');

/**
 * Alice, Bob, and Carol (a headless client) who wrote to Alice; Alice answered Carol with
 * two texts and an image, and has a chat with Bob to forward to. Alice has Carol's chat open.
 */
async function aliceWithCarolsChat(withImage = false) {
  const { alice, bob, names } = await alicePlusBob();
  const aliceClient = alice.element.chatClient!;
  const [carol] = await people('Carol');
  const withBob = await aliceClient.startConversation(bob.element.chatClient!.user!.id);
  await aliceClient.send(withBob, 'Hi Bob');
  const withCarol = await carol!.client.startConversation(aliceClient.user!.id);
  await carol!.client.send(withCarol, 'Where shall we meet?');
  alice.element.openConversation(withCarol);
  await waitFor(() => rowWith(alice, 'Where shall we meet?'), "Carol's message");
  await alice.send('At the station');
  await alice.send('Bring the tickets');
  if (withImage) await aliceClient.files.sendFile(withCarol, await imageFile('map.png', 160, 120));
  await waitFor(
    () => rows(alice).filter((row) => row.dataset['status'] === 'sent').length === (withImage ? 4 : 3),
    "Alice's messages to be sent",
  );
  return { alice, bob, names, withBob, withCarol };
}

/** "Select" in the message's menu, as a person opens it with the mouse. */
async function startSelecting(widget: Widget, row: HTMLElement): Promise<void> {
  (await messageButton(row, 'more')).click();
  const item = await waitFor(() => inShadow<HTMLButtonElement>(widget.messageList()!, 'im-menu', 'button[data-id="select"]'), 'Select in the menu');
  item.click();
  await waitFor(() => bar(widget), 'the selection bar');
}

/** Forward in the bar, the conversation, then how. */
async function forward(widget: Widget, toConversationId: string, how: 'one-by-one' | 'history'): Promise<void> {
  barPart<HTMLButtonElement>(widget, '.forward')!.click();
  const menu = () => barPart(widget, 'im-menu')!;
  (await waitFor(() => inShadow<HTMLButtonElement>(menu(), `button[data-id="${toConversationId}"]`), 'the forward targets')).click();
  (await waitFor(() => inShadow<HTMLButtonElement>(menu(), `button[data-id="${how}"]`), 'how to forward')).click();
  await waitFor(() => !bar(widget), 'selection mode to end');
}

/** Starts selecting at the message saying `first`, and picks the one saying `second` too. */
async function pickTwo(widget: Widget, first: string, second: string): Promise<void> {
  await startSelecting(widget, rowWith(widget, first)!);
  rowWith(widget, second)!.click();
  await waitFor(() => checked(widget).length === 2, 'two messages to be picked');
}

/** The widget alone in the viewport, as its user sees it, at each size. */
const shoot = (widget: Widget, others: Widget[], name: string) =>
  screenshotAlone(widget, others, `merged-forward-${name}`, [
    { width: 1280, height: 800, name: 'desktop' },
    { width: 390, height: 760, name: 'phone' },
  ]);

describe('selecting messages', () => {
  afterEach(() => {
    fixtureCleanup();
    stopAllClients();
  });

  it('forwards three messages, one an image, as one chat history that Bob opens', async function () {
    this.timeout(120_000);
    const { alice, bob, names, withBob } = await aliceWithCarolsChat(true);
    await startSelecting(alice, rowWith(alice, 'Where shall we meet?')!);
    rowWith(alice, 'At the station')!.click();
    imageRow(alice)!.click();
    await waitFor(() => checked(alice).length === 3, 'three messages to be picked');
    expect(barPart(alice, '.count')!.textContent!.trim()).to.equal('3 selected');
    await expect(alice.element).to.be.accessible();
    await shoot(alice, [bob], 'selection-bar');
    await forward(alice, withBob, 'history');

    await bob.openConversation(names.alice);
    const card = await waitFor(
      () => listRoot(bob).querySelector<HTMLButtonElement>('[part="history-card"]'),
      'the chat history card',
      30_000,
    );
    expect(card.querySelector('.history-title')!.textContent).to.match(new RegExp(`^Chat history of .+ and ${names.alice}$|^Chat history of ${names.alice} and .+$`));
    expect([...card.querySelectorAll('.history-line')].map((line) => line.textContent!.replace(/^[^:]+: /, ''))).to.deep.equal([
      'Where shall we meet?',
      'At the station',
      '[Photo]',
    ]);
    expect(card.querySelector('.history-footer')!.textContent).to.equal('Chat history · 3 messages');
    await shoot(bob, [alice], 'card');

    card.focus();
    await sendKeys({ press: 'Enter' });
    const view = () => inShadow(bob.element, 'im-message-pane', 'im-history-view');
    // The view's code loads on demand: on a busy machine that can take a while.
    const dialog = await waitFor(() => view()?.shadowRoot?.querySelector<HTMLDialogElement>('dialog[open]'), 'the chat history view', 30_000);
    expect(dialog.querySelectorAll('li.item')).to.have.length(3);
    const image = await waitFor(
      () => {
        const attachment = dialog.querySelector('im-attachment');
        const img = attachment?.shadowRoot?.querySelector<HTMLImageElement>('img[part="image"]');
        return img?.complete && img.naturalWidth > 0 ? img : null;
      },
      'the forwarded image to load in the view',
      30_000,
    );
    expect(image.naturalWidth).to.equal(160);
    await expect(bob.element).to.be.accessible();
    await shoot(bob, [alice], 'view');

    await sendKeys({ press: 'Escape' });
    await waitFor(() => !view(), 'the view to close');
    await waitFor(() => listRoot(bob).activeElement === card, 'the card to have the keyboard again');
  });

  it('forwards messages one by one, in their order', async function () {
    this.timeout(120_000);
    const { alice, bob, withBob } = await aliceWithCarolsChat();
    await pickTwo(alice, 'Bring the tickets', 'Where shall we meet?');
    await forward(alice, withBob, 'one-by-one');
    await waitFor(
      async () => (await texts(bob.element.chatClient!, withBob)).join() === 'Hi Bob:sent,Where shall we meet?:sent,Bring the tickets:sent',
      'Bob to get both, in their order',
      30_000,
    );
  });

  it('copies the picked messages, each with who wrote it and when', async function () {
    this.timeout(60_000);
    const { alice } = await aliceWithCarolsChat();
    await pickTwo(alice, 'Where shall we meet?', 'Bring the tickets');
    barPart<HTMLButtonElement>(alice, '.copy')!.click();
    // Where the browser refuses the clipboard, the text is shown selected to copy by hand.
    const copied = await waitFor(
      () => barPart<HTMLTextAreaElement>(alice, '.by-hand textarea')?.value ?? (barPart(alice, '.count')!.textContent!.trim() === 'Copied' ? 'clipboard' : null),
      'the copy to be answered',
    );
    const text = copied === 'clipboard' ? await navigator.clipboard.readText().catch(() => null) : copied;
    if (text === null) return; // written, but this engine lets no page read it back
    const blocks = text.split('\n\n');
    expect(blocks).to.have.length(2);
    expect(blocks[0]).to.match(/^.+, .+\nWhere shall we meet\?$/);
    expect(blocks[1]).to.match(/^Alice .+, .+\nBring the tickets$/);
  });

  it('deletes several messages for the user after asking', async function () {
    this.timeout(60_000);
    const { alice } = await aliceWithCarolsChat();
    await pickTwo(alice, 'At the station', 'Bring the tickets');
    barPart<HTMLButtonElement>(alice, '.delete')!.click();
    const confirm = await waitFor(
      () => inShadow<HTMLButtonElement>(bar(alice)!, 'im-group-confirm', 'dialog[open] button[value="confirm"]'),
      'the question',
    );
    expect(inShadow(bar(alice)!, 'im-group-confirm', '#message')!.textContent).to.equal(
      'Delete 2 messages for you? The others in the chat still see them.',
    );
    confirm.click();
    await waitFor(() => !rowWith(alice, 'At the station') && !rowWith(alice, 'Bring the tickets'), 'both to go');
    expect(rowWith(alice, 'Where shall we meet?')).to.exist;
    expect(bar(alice)).to.equal(null);
  });
});
