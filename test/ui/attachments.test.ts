import { ContextProvider } from '@lit/context';
import { expect, fixture, fixtureCleanup, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatClient, TimelineEntry } from '../../src/client/index.js';
import { MediaCache } from '../../src/client/cache/media-cache.js';
import { composedBody } from '../../src/client/file-actions.js';
import { formatFileSize } from '../../src/ui/im-attachment/file-size.js';
import type { FileBody } from '../../src/protocol/index.js';
import { clientContext, translatorContext } from '../../src/ui/context.js';
import { Translator, type Lang } from '../../src/ui/i18n/index.js';
import '../../src/ui/im-attachment/im-attachment.js';
import type { ImAttachment } from '../../src/ui/im-attachment/im-attachment.js';
import type { ImMessagePane } from '../../src/ui/im-message-pane/im-message-pane.js';
import { online, signIn, stopAllClients, timeline } from '../support/browser/chat-clients.js';
import { startServer, stopServer, throttledServerUrl, uniqueUser, waitFor } from '../support/browser/im-server.js';
import { Widget, alicePlusBob, allInShadow, inShadow } from '../support/browser/widget.js';
import { createElement } from '../../src/ui/registry.js';
import { imageFile } from '../support/browser/images.js';

const textFile = (name: string, text: string) => new File([text], name, { type: 'text/plain' });

function filesOf(...files: File[]): DataTransfer {
  const transfer = new DataTransfer();
  for (const file of files) transfer.items.add(file);
  return transfer;
}

/** Attachments in a conversation's timeline: `[image a.png 30x20]:sent`, `[file b.txt]:pending`. */
async function attachments(client: ChatClient, conversationId: string): Promise<string[]> {
  const describe = ({ body, status }: TimelineEntry) =>
    body.type === 'image'
      ? `[image ${body.file.name} ${body.width}x${body.height}]:${status}`
      : body.type === 'file'
        ? `[file ${body.file.name}]:${status}`
        : null;
  return (await timeline(client, conversationId)).map(describe).filter((entry) => entry !== null);
}

describe('attachments in the composer', () => {
  afterEach(() => fixtureCleanup());

  async function openChat(aliceServer?: string) {
    const { alice, names } = await alicePlusBob({ aliceServer });
    await alice.startChatWith(names.bob);
    const pane = inShadow<ImMessagePane>(alice.element, 'im-message-pane')!;
    return { alice, client: alice.element.chatClient!, conversationId: pane.conversationId };
  }

  const composerPart = <T extends Element = HTMLElement>(widget: Widget, selector: string) =>
    inShadow<T>(widget.element, 'im-message-pane', 'im-composer', selector);

  const uploadItems = (widget: Widget) =>
    allInShadow(widget.element, 'im-message-pane', 'im-composer', '.upload');

  function pick(widget: Widget, ...files: File[]): void {
    const input = composerPart<HTMLInputElement>(widget, 'input[type="file"]')!;
    input.files = filesOf(...files).files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  it('sends picked files as their own messages, in order, keeping the draft', async () => {
    const { alice, client, conversationId } = await openChat();
    await alice.type('a draft I am still writing');
    const button = composerPart<HTMLButtonElement>(alice, '[part="attach-button"]')!;
    expect(button.getAttribute('aria-label')).to.equal('Attach files');

    pick(alice, await imageFile('sunset.png', 64, 48), textFile('notes.txt', 'see the picture'));
    await waitFor(
      async () => (await attachments(client, conversationId)).join() === '[image sunset.png 64x48]:sent,[file notes.txt]:sent',
      'both attachments to be sent',
    );
    expect(alice.composer().value).to.equal('a draft I am still writing');
    await waitFor(() => uploadItems(alice).length === 0, 'the tray to empty');
  });

  it('shows an image message’s time over the image, not in a column beside it', async () => {
    const { alice, client, conversationId } = await openChat();
    pick(alice, await imageFile('harbour.png', 200, 150));
    await waitFor(async () => (await attachments(client, conversationId)).join() === '[image harbour.png 200x150]:sent', 'the image sent');
    const row = await waitFor(
      () => alice.messageList()?.shadowRoot?.querySelector<HTMLElement>('li.message[data-status="sent"]'),
      'the image message',
    );
    const image = await waitFor(() => inShadow<HTMLImageElement>(row.querySelector('im-attachment')!, 'img'), 'the thumbnail');
    await waitFor(() => image.complete && image.naturalWidth === 200, 'the image to load');
    const picture = image.getBoundingClientRect();
    const time = row.querySelector('.meta')!.getBoundingClientRect();
    expect(time.left >= picture.left && time.right <= picture.right, 'within the image’s width').to.equal(true);
    expect(time.top >= picture.top && time.bottom <= picture.bottom, 'within the image’s height').to.equal(true);
  });

  it('sends a pasted image and leaves pasted text to the text box', async () => {
    const { alice, client, conversationId } = await openChat();
    const paste = (data: DataTransfer) => {
      const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true });
      // Set on the event itself: Firefox gives a constructed event a copy of the data without its files.
      Object.defineProperty(event, 'clipboardData', { value: data });
      alice.composer().dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(paste(filesOf(await imageFile('screenshot.png', 30, 20)))).to.equal(true);
    await waitFor(
      async () => (await attachments(client, conversationId)).join() === '[image screenshot.png 30x20]:sent',
      'the pasted image to be sent',
    );

    const text = new DataTransfer();
    text.setData('text/plain', 'just words');
    expect(paste(text)).to.equal(false);
  });

  it('sends files dropped anywhere on the conversation, with a hint while dragging', async () => {
    const { alice, client, conversationId } = await openChat();
    const list = alice.messageList()!;
    const data = filesOf(textFile('dropped.txt', 'dropped on the list'));
    const drag = (type: string) =>
      list.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
    expect(drag('dragover')).to.equal(false); // accepted: default prevented
    await waitFor(() => composerPart(alice, '[part="drop-hint"]'), 'the drop hint');
    expect(composerPart(alice, '[part="drop-hint"]')!.textContent).to.equal('Drop files to send them');

    drag('drop');
    await waitFor(
      async () => (await attachments(client, conversationId)).join() === '[file dropped.txt]:sent',
      'the dropped file to be sent',
    );
    expect(composerPart(alice, '[part="drop-hint"]')).to.equal(null);
  });

  it('shows progress and cancels an upload, running or waiting', async () => {
    const { alice, client, conversationId } = await openChat(await throttledServerUrl(200_000));
    pick(alice, textFile('big.txt', 'x'.repeat(2_000_000)), textFile('next.txt', 'queued'));

    const [running, waiting] = await waitFor(() => {
      const items = uploadItems(alice);
      const progress = items[0]?.querySelector('progress');
      return items.length === 2 && progress && progress.value > 0 ? items : null;
    }, 'the first upload to make progress');
    expect(running!.querySelector('progress')!.max).to.equal(2_000_000);
    expect(running!.querySelector('progress')!.getAttribute('aria-label')).to.equal('Uploading big.txt');
    expect(waiting!.querySelector('progress')!.getAttribute('aria-label')).to.equal('Waiting to upload next.txt');

    waiting!.querySelector<HTMLButtonElement>('button[aria-label="Cancel upload of next.txt"]')!.click();
    running!.querySelector<HTMLButtonElement>('button[aria-label="Cancel upload of big.txt"]')!.click();
    await waitFor(() => uploadItems(alice).length === 0, 'both uploads to be gone');
    expect(await attachments(client, conversationId)).to.deep.equal([]);
  });

  it('says a file is too large, with the limit, and keeps the text', async () => {
    const { alice, client, conversationId } = await openChat();
    await alice.type('keep me');
    pick(alice, new File([new Uint8Array(20 * 1024 * 1024 + 1)], 'huge.bin'));
    const alert = await waitFor(() => composerPart(alice, '.upload [role="alert"]'), 'the error');
    expect(alert.textContent).to.equal('“huge.bin” is too large: files can be at most 20 MB.');
    expect(alice.composer().value).to.equal('keep me');
    expect(await attachments(client, conversationId)).to.deep.equal([]);
    await expect(alice.element).to.be.accessible();

    composerPart<HTMLButtonElement>(alice, '.upload button[aria-label="Dismiss"]')!.click();
    await waitFor(() => uploadItems(alice).length === 0, 'the error to be dismissed');
  });
});

describe('<im-attachment>', () => {
  let client: ChatClient;
  let ownerId: string;
  let conversationId: string;

  beforeEach(async () => {
    const peer = await signIn(uniqueUser('peer'));
    await online(peer);
    ownerId = uniqueUser('owner');
    client = await signIn(ownerId);
    await online(client);
    conversationId = await client.startConversation(peer.user!.id);
  });

  afterEach(async () => {
    fixtureCleanup();
    stopAllClients();
    await startServer(); // after a test that stopped it
  });

  /** The owner's browser again, offline: a reload while the server is out of reach. */
  async function reloadOffline(): Promise<void> {
    fixtureCleanup();
    await stopServer();
    client.stop();
    client = await signIn(ownerId);
  }

  /** The element inside a host that provides the client and an English translator. */
  async function render(body: ImAttachment['body'] & object, lang: Lang = 'en'): Promise<ImAttachment> {
    const host = document.createElement('div');
    new ContextProvider(host, { context: clientContext, initialValue: client });
    new ContextProvider(host, { context: translatorContext, initialValue: await Translator.load(lang) });
    const element = createElement('im-attachment');
    element.body = body;
    element.conversationId = conversationId;
    host.append(element);
    await fixture(html`${host}`);
    await element.updateComplete;
    return element;
  }

  async function uploadedBody(file: File) {
    return composedBody(await client.files.upload(conversationId, file));
  }

  it('gives a thumbnail its final size before the image loads', async () => {
    const body = await uploadedBody(await imageFile('wide.png', 1200, 900));
    expect(body).to.include({ type: 'image', width: 1200, height: 900 });
    const element = await render(body);
    const image = inShadow<HTMLImageElement>(element, 'img[part="image"]')!;
    // The size is in the markup, so the box is reserved before any pixel arrives (WebKit
    // may have decoded a small local image by now, so "not loaded yet" cannot be awaited).
    expect([image.getAttribute('width'), image.getAttribute('height')]).to.deep.equal(['240', '180']);
    const before = image.getBoundingClientRect();
    expect([before.width, before.height]).to.deep.equal([240, 180]);

    await waitFor(() => image.complete && image.naturalWidth === 1200, 'the image to load');
    const after = image.getBoundingClientRect();
    expect([after.width, after.height]).to.deep.equal([240, 180]);
    // Named by its button: no alt text of its own to spill over the box.
    expect(image.alt).to.equal('');
    expect(inShadow(element, 'button[part="thumbnail"]')!.getAttribute('aria-label')).to.equal('Open image wide.png');
    await expect(element).to.be.accessible();
  });

  it('keeps the thumbnail’s box while the image’s address is not known yet (offline)', async () => {
    const body = await uploadedBody(await imageFile('wide.png', 1200, 900));
    const owner = client.user!.id;
    await stopServer();
    // Another device of the owner's, offline: it has no access to the file yet, so no source.
    client = await signIn(owner);
    const element = await render(body);
    // An image without a source holds the box until the device knows it cannot fetch the
    // file; then a placeholder of the same size does (WebKit may be there already).
    const shown = inShadow<HTMLElement>(element, 'img[part="image"]') ?? inShadow<HTMLElement>(element, '[part="placeholder"]');
    expect(shown === null, 'the image or its placeholder').to.equal(false);
    expect(shown!.hasAttribute('src')).to.equal(false);
    const box = shown!.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([240, 180]);
  });

  it('opens the full image in a dialog; Escape closes it and focus goes back', async () => {
    const element = await render(await uploadedBody(await imageFile('photo.jpg', 80, 60, 'image/jpeg')));
    const thumbnail = inShadow<HTMLButtonElement>(element, 'button[part="thumbnail"]')!;
    expect(thumbnail.getAttribute('aria-label')).to.equal('Open image photo.jpg');
    thumbnail.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await waitFor(() => inShadow<HTMLDialogElement>(element, 'dialog[open]'), 'the dialog');
    const full = dialog.querySelector<HTMLImageElement>('img[part="full-image"]')!;
    await waitFor(() => full.complete && full.naturalWidth === 80, 'the full image');
    expect(full.alt).to.equal('photo.jpg');

    await sendKeys({ press: 'Escape' });
    await waitFor(() => !inShadow(element, 'dialog'), 'the dialog to close');
    expect(element.shadowRoot!.activeElement).to.equal(thumbnail);

    thumbnail.click();
    const again = await waitFor(() => inShadow<HTMLDialogElement>(element, 'dialog[open]'), 'the dialog again');
    again.querySelector<HTMLButtonElement>('button[part="close-button"]')!.click();
    await waitFor(() => !inShadow(element, 'dialog'), 'the close button to close it');
    expect(element.shadowRoot!.activeElement).to.equal(thumbnail);
  });

  it('shows a file as a card whose link downloads the exact bytes', async () => {
    const content = 'quarterly numbers\n'.repeat(100);
    const body = await uploadedBody(textFile('report.txt', content));
    expect(body.type).to.equal('file');
    const element = await render(body);
    expect(inShadow(element, '[part="file-name"]')!.textContent).to.equal('report.txt');
    expect(inShadow(element, '[part="file-size"]')!.textContent).to.equal('1.8 kB');
    const link = await waitFor(() => inShadow<HTMLAnchorElement>(element, 'a[part="download"][href]'), 'the link');
    expect(link.getAttribute('aria-label')).to.equal('Download report.txt');

    const response = await fetch(link.href);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(await response.text()).to.equal(content);
    await expect(element).to.be.accessible();
  });

  it('shows a file name without the bidi controls that would disguise its type', async () => {
    const uploaded = await uploadedBody(textFile('invoice.txt', 'pay me'));
    // A body as another server might send it: the name reads "invoiceexe.pdf" if shown as is.
    const body = { ...uploaded, file: { ...uploaded.file, name: 'invoice\u202Efdp.exe' } } as FileBody;
    const element = await render(body);
    const name = inShadow(element, '[part="file-name"]')!;
    expect(name.textContent).to.equal('invoicefdp.exe');
    expect(name.getAttribute('title')).to.equal('invoicefdp.exe');
    const link = inShadow<HTMLAnchorElement>(element, 'a[part="download"]')!;
    expect(link.getAttribute('download')).to.equal('invoicefdp.exe');
    expect(link.getAttribute('aria-label')).to.equal('Download invoicefdp.exe');
    expect(element.shadowRoot!.textContent).not.to.match(/[\u202A-\u202E\u2066-\u2069\u200E\u200F]/);
  });

  it('reads a tiny file\'s size in words, in the widget\'s language', async () => {
    const body = await uploadedBody(textFile('note.txt', 'hello'));
    expect(inShadow(await render(body), '[part="file-size"]')!.textContent).to.equal('5 bytes');
    fixtureCleanup();
    expect(inShadow(await render(body, 'zh-CN'), '[part="file-size"]')!.textContent).to.equal('5字节');
  });

  it('keeps an image seen once, and shows it offline after a reload', async () => {
    const body = await uploadedBody(await imageFile('seen.png', 90, 60));
    const seen = inShadow<HTMLImageElement>(await render(body), 'img[part="image"]')!;
    await waitFor(() => seen.complete && seen.naturalWidth === 90, 'the image to load online');

    await reloadOffline();
    const element = await render(body);
    const image = await waitFor(() => inShadow<HTMLImageElement>(element, 'img[part="image"]'), 'the thumbnail');
    await waitFor(() => image.complete && image.naturalWidth === 90, 'the kept image, offline');
    expect(inShadow(element, '[part="placeholder"]') === null).to.equal(true);
  });

  it('shows an image never seen, offline, as a placeholder of its size that says how big it is', async () => {
    const body = await uploadedBody(await imageFile('unseen.png', 480, 320));
    await reloadOffline();
    const element = await render(body);
    const placeholder = await waitFor(() => inShadow(element, '[part="placeholder"]'), 'the placeholder');
    expect(inShadow(element, 'img') === null).to.equal(true); // no broken image icon
    expect(placeholder.textContent!.trim()).to.equal(formatFileSize(body.file.size, 'en'));
    expect(placeholder.getAttribute('aria-label')).to.equal(
      `Image unseen.png, ${formatFileSize(body.file.size, 'en')}: not available offline`,
    );
    const box = placeholder.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([240, 160]); // the thumbnail's own box
    await expect(element).to.be.accessible();
  });

  it('keeps images within its budget, letting the least recently shown go', async () => {
    const kept = (id: string) => client.cache!.db.media.get(id);
    const media = new MediaCache(client.cache!.db, 250);
    const bytes = (n: number) => new Blob([new Uint8Array(n)]);
    await media.put('a', bytes(100));
    await media.put('b', bytes(100));
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later use than both puts
    expect(await media.get('a')).to.be.instanceOf(Blob); // a is used again: b is now the oldest
    await media.put('c', bytes(100));
    expect([!!(await kept('a')), !!(await kept('b')), !!(await kept('c'))]).to.deep.equal([true, false, true]);
    await media.put('huge', bytes(1_000)); // larger than the whole budget: not kept, nothing evicted
    expect([!!(await kept('huge')), !!(await kept('a'))]).to.deep.equal([false, true]);
  });
});
