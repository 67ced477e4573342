import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { withoutBidiControls } from '../../protocol/bidi.js';
import { playingTime, type AttachmentBody } from '../../protocol/bodies.js';
import type { FileBody, ImageBody, VideoBody, VoiceBody } from '../../protocol/index.js';
import { claimPlayback, sourceLost } from '../media-playback.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { formatFileSize } from './file-size.js';
import { styles } from './im-attachment.styles.js';
import { imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';

/** The largest box a thumbnail takes; smaller images keep their own size. */
const thumbnailMax = { width: 240, height: 320 };

/** How often the URL is asked for again: the client hands out a fresh one before the old expires. */
const urlRefreshMs = 10 * 60_000;

/**
 * An image, video or file a message carries. An image shows as a thumbnail whose box has
 * its final size before it loads (so the list never jumps); activating it opens the full
 * image in a dialog. Images seen once are kept (within the client's media budget) and
 * show offline too; one never seen shows, offline, a placeholder with its size. A video
 * plays inline, its first frame as its poster, its length shown until it plays; one medium
 * plays at a time on the page. A file shows as a card with its name, size and a download link.
 *
 * @summary Attachment of a message.
 * @csspart thumbnail - The button around an image's thumbnail.
 * @csspart image - The thumbnail image.
 * @csspart lightbox - The dialog with the full image.
 * @csspart full-image - The full image.
 * @csspart close-button - Closes the dialog.
 * @csspart placeholder - An image or video not available offline: its box, with its size.
 * @csspart video-box - The box of a video, sized before it loads.
 * @csspart video - The video player.
 * @csspart video-duration - A video's length, shown until it plays.
 * @csspart file - A file's card.
 * @csspart file-icon - The card's icon.
 * @csspart file-name - The file's name.
 * @csspart file-size - The file's size.
 * @csspart download - The download link.
 * @cssprop --im-attachment-radius - Corner radius of thumbnails and cards.
 * @cssprop --im-attachment-placeholder - A thumbnail's background until it loads.
 * @cssprop --im-attachment-card-width - Widest a file card gets.
 * @cssprop --im-attachment-backdrop - Behind the full image.
 */
@imElement('im-attachment')
export class ImAttachment extends ImElement {
  static override styles = styles;

  @property({ attribute: false }) body?: Exclude<AttachmentBody, VoiceBody>;
  @property({ attribute: 'conversation-id' }) conversationId = '';
  /** Whether its button or link is in the Tab order (in a message list, only the focused message's are). */
  @property({ type: Boolean }) tabbable = true;

  /** A file's download URL. */
  @state() private url: string | null = null;
  /** An image's object URL, of the kept or fetched copy. */
  @state() private imageUrl: string | null = null;
  /** The image could not be had (offline, never seen): its placeholder shows. */
  @state() private imageMissing = false;
  @state() private lightboxOpen = false;
  /** A video has started playing (its length badge gives way to the player's own time). */
  @state() private videoStarted = false;
  /** The browser cannot play the video, even from a fresh URL: it is offered as a download. */
  @state() private videoFailed = false;
  #videoRetried = false;
  @query('dialog') private dialog?: HTMLDialogElement;
  @query('.thumbnail') private thumbnail?: HTMLButtonElement;

  #refreshTimer: ReturnType<typeof setInterval> | undefined;
  #loadingImage = false;
  /** The image's bytes while shown. */
  #blob: Blob | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Files only: an image is loaded once, and kept.
    this.#refreshTimer = setInterval(() => {
      if (this.body?.type === 'file') void this.#loadUrl();
    }, urlRefreshMs);
    if (this.hasUpdated) this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#refreshTimer);
    this.#setImage(null);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('body') || changed.has('conversationId') || changed.has('client')) {
      if (changed.has('body') && changed.get('body')?.file.id !== this.body?.file.id) {
        this.url = null;
        this.#setImage(null);
      }
      this.#load();
    } else if (this.imageMissing && this.session?.status === 'online') {
      // Back online: the image that was missing can be had now.
      this.#load();
    }
  }

  protected override updated(): void {
    // WebKit sizes an image that has no source yet by its alt text, not by its width and
    // height attributes; the ratio (through the CSSOM, which a strict style-src allows)
    // keeps the box at its final shape there too.
    const image = this.thumbnail?.querySelector('img');
    if (image) image.style.aspectRatio = `${image.getAttribute('width')} / ${image.getAttribute('height')}`;
  }

  protected override render() {
    const t = this.translator;
    const body = this.body;
    if (!t || !body) return nothing;
    switch (body.type) {
      case 'image':
        return this.#renderImage(body, t);
      case 'video':
        return this.videoFailed ? this.#renderFile(body, t) : this.#renderVideo(body, t);
      default:
        return this.#renderFile(body, t);
    }
  }

  #renderVideo(body: VideoBody, t: Translator) {
    // Until the file says otherwise, a video is as wide as a phone's is high.
    const { width, height } = fit(body.width ?? 320, body.height ?? 180);
    const name = withoutBidiControls(body.file.name);
    const spacer = html`<svg class="spacer" viewBox="0 0 ${width} ${height}" width=${width} height=${height} aria-hidden="true"></svg>`;
    if (!this.url) {
      const size = formatFileSize(body.file.size, t.lang);
      return html`<div part="placeholder" class="placeholder" role="img" aria-label=${t.t('attachment.videoOffline', { name, size })}>
        ${spacer}
        <span class="placeholder-content"><span class="placeholder-icon">${icons.video}</span><span>${size}</span></span>
      </div>`;
    }
    // `#t=0.1`: the first frame shows as the poster, in WebKit too, before it plays.
    return html`<div part="video-box" class="video-box">
      ${spacer}
      <video
        part="video"
        controls
        playsinline
        preload="metadata"
        tabindex=${this.tabbable ? 0 : -1}
        aria-label=${t.t('attachment.video', { name })}
        src=${`${this.url}#t=0.1`}
        @play=${(event: Event) => {
          this.videoStarted = true;
          claimPlayback(event.target as HTMLMediaElement);
        }}
        @error=${this.#onVideoError}
      ></video>
      ${body.duration && !this.videoStarted
        ? html`<span part="video-duration" class="duration" aria-hidden="true">${playingTime(body.duration)}</span>`
        : nothing}
    </div>`;
  }

  /**
   * The access in the URL ran out, say: once, a fresh URL. Failing again, the browser
   * cannot play this file, and it is offered as a download. A video that plays on
   * through its error (without sound, on a device with no sound output) stays.
   */
  #onVideoError(event: Event): void {
    const video = event.target as HTMLVideoElement;
    if (!sourceLost(video) && !video.paused) return;
    if (this.#videoRetried) {
      this.videoFailed = true;
      return;
    }
    this.#videoRetried = true;
    this.url = null;
    void this.#loadUrl();
  }

  #renderImage(body: ImageBody, t: Translator) {
    const { width, height } = fit(body.width, body.height);
    const name = withoutBidiControls(body.file.name);
    const { size } = body.file;
    if (this.imageMissing) {
      const bytes = formatFileSize(size, t.lang);
      // The box the image would take (sized by a spacer: a strict CSP blocks style attributes).
      return html`<div
        part="placeholder"
        class="placeholder"
        role="img"
        aria-label=${t.t('attachment.imageOffline', { name, size: bytes })}
      >
        <svg class="spacer" viewBox="0 0 ${width} ${height}" width=${width} height=${height} aria-hidden="true"></svg>
        <span class="placeholder-content">
          <span class="placeholder-icon">${icons.image}</span>
          <span class="placeholder-size">${bytes}</span>
        </span>
      </div>`;
    }
    return html`<button
        type="button"
        part="thumbnail"
        class="thumbnail"
        tabindex=${this.tabbable ? 0 : -1}
        aria-label=${t.t('attachment.open', { name })}
        aria-haspopup="dialog"
        @click=${this.#openLightbox}
      >
        <img part="image" src=${this.imageUrl ?? nothing} alt="" width=${width} height=${height} @error=${this.#onImageError} />
      </button>
      ${this.lightboxOpen
        ? html`<dialog
            part="lightbox"
            aria-label=${name}
            @close=${this.#onLightboxClosed}
            @click=${this.#onDialogClick}
          >
            <img part="full-image" src=${this.imageUrl ?? nothing} alt=${name} width=${body.width} height=${body.height} />
            <button
              type="button"
              part="close-button"
              class="icon-button close"
              aria-label=${t.t('close')}
              @click=${() => this.dialog?.close()}
            >
              ${icons.close}
            </button>
          </dialog>`
        : nothing}`;
  }

  #renderFile(body: FileBody | VideoBody, t: Translator) {
    const { size } = body.file;
    // Whatever server sent it, a name cannot pass one file type off as another.
    const name = withoutBidiControls(body.file.name);
    const label = t.t('attachment.download', { name });
    return html`<div part="file" class="card">
      <span part="file-icon" class="file-icon">${icons.file}</span>
      <span class="meta">
        <span part="file-name" class="name" title=${name}>${name}</span>
        <span part="file-size" class="size">${formatFileSize(size, t.lang)}</span>
      </span>
      <a
        part="download"
        class="download"
        tabindex=${this.tabbable ? nothing : -1}
        href=${this.url ?? nothing}
        role=${this.url ? nothing : 'link' /* without href an <a> is no link, and may not carry a label */}
        download=${name}
        rel="noopener noreferrer"
        aria-label=${label}
        title=${this.url ? label : t.t('attachment.unavailable')}
        aria-disabled=${this.url ? 'false' : 'true'}
        >${icons.download}</a
      >
    </div>`;
  }

  async #openLightbox(): Promise<void> {
    this.lightboxOpen = true;
    await this.updateComplete;
    if (this.dialog && !this.dialog.open) this.dialog.showModal();
  }

  /** A click on the backdrop (the dialog itself, outside the image) closes it. */
  #onDialogClick(event: MouseEvent): void {
    if (event.target === this.dialog) this.dialog.close();
  }

  #onLightboxClosed(): void {
    this.lightboxOpen = false;
    this.thumbnail?.focus();
  }

  #load(): void {
    if (this.body?.type === 'image') void this.#loadImage();
    else void this.#loadUrl();
  }

  async #loadImage(): Promise<void> {
    const { client, body, conversationId } = this;
    if (!client || body?.type !== 'image' || !conversationId || this.imageUrl || this.#loadingImage) return;
    this.#loadingImage = true;
    try {
      const blob = await client.files.image(conversationId, body.file.id);
      if (this.body?.file.id !== body.file.id || !this.isConnected) return;
      this.#blob = blob;
      this.#setImage(URL.createObjectURL(blob));
    } catch {
      if (this.body?.file.id === body.file.id) this.imageMissing = true;
    } finally {
      this.#loadingImage = false;
    }
  }

  /** Replaces the image's URL, letting an old object URL go. */
  #setImage(url: string | null): void {
    if (this.imageUrl?.startsWith('blob:')) URL.revokeObjectURL(this.imageUrl);
    if (url === null) this.#blob = null;
    this.imageUrl = url;
    this.imageMissing = false;
  }

  /**
   * The host's CSP may refuse `blob:` images (`img-src` without it): the same bytes as a
   * `data:` URL then, which such policies usually allow. Bytes no browser can show, or a
   * policy that allows neither, get the placeholder rather than a broken icon.
   */
  async #onImageError(): Promise<void> {
    const blob = this.#blob;
    if (!this.imageUrl) return;
    if (!blob || !this.imageUrl.startsWith('blob:')) {
      this.imageMissing = true;
      return;
    }
    const dataUrl = await new Promise<string | null>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
      reader.onerror = () => resolve(null);
      reader.readAsDataURL(blob);
    });
    if (this.#blob !== blob) return;
    if (dataUrl) this.#setImage(dataUrl);
    else this.imageMissing = true;
  }

  async #loadUrl(): Promise<void> {
    const { client, body, conversationId } = this;
    if (!client || !body || !conversationId) return;
    try {
      const url = await client.files.url(conversationId, body.file.id);
      if (this.body?.file.id === body.file.id && this.conversationId === conversationId) this.url = url;
    } catch {
      // Offline: the image shows its alt text and the link waits; the next refresh retries.
    }
  }
}

/** The image's size scaled down (never up) to fit the thumbnail box, in whole pixels. */
function fit(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, thumbnailMax.width / width, thumbnailMax.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

declare global {
  interface HTMLElementTagNameMap {
    'im-attachment': ImAttachment;
  }
}
