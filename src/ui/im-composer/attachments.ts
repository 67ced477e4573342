/**
 * The composer's attachments: the attach button, pasted and dropped files, and the tray
 * of uploads with progress, cancel and errors. Each file is sent as its own message once
 * uploaded, one after the other in the order they were added; the text being written is
 * never touched.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ChatError, FileTooLargeError, LocalErrorCode, type ChatClient, type VoiceRecording } from '../../client/index.js';
import { ErrorCode } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { formatFileSize } from '../im-attachment/file-size.js';

interface Upload {
  id: number;
  conversationId: string;
  file: File;
  /** A recorded voice message: what the recorder measured. */
  voice?: VoiceRecording;
  loaded: number;
  state: 'waiting' | 'uploading' | 'failed';
  /** Why it failed, for people; and whether trying again could help. */
  error: { text: string; retryable: boolean } | null;
  abort: AbortController;
}

export interface AttachmentHost extends ReactiveControllerHost, HTMLElement {
  readonly client?: ChatClient | undefined;
  readonly conversationId: string;
  readonly translator?: Translator | undefined;
}

/** A drag over the conversation shows the drop hint until this long after the last dragover. */
const dragLingerMs = 150;

let uploadIds = 0;

export class AttachmentUploads implements ReactiveController {
  #uploads: Upload[] = [];
  #sending = false;
  #dragging = false;
  #dragTimer: ReturnType<typeof setTimeout> | undefined;
  #dropZone: EventTarget | null = null;

  constructor(private readonly host: AttachmentHost) {
    host.addController(this);
  }

  /** Drops anywhere in the conversation view (the composer's shadow root) are taken. */
  hostConnected(): void {
    const root = this.host.getRootNode();
    this.#dropZone = root instanceof ShadowRoot ? root : this.host;
    this.#dropZone.addEventListener('dragover', this.#onDragOver as EventListener);
    this.#dropZone.addEventListener('drop', this.#onDrop as EventListener);
  }

  hostDisconnected(): void {
    this.#dropZone?.removeEventListener('dragover', this.#onDragOver as EventListener);
    this.#dropZone?.removeEventListener('drop', this.#onDrop as EventListener);
    this.#dropZone = null;
    clearTimeout(this.#dragTimer);
    for (const upload of this.#uploads) upload.abort.abort();
    this.#uploads = [];
  }

  /** Queues files for the open conversation. */
  add(files: Iterable<File>): void {
    for (const file of files) this.#queue(file);
  }

  /** Queues a recorded voice message for the open conversation, after the files before it. */
  addVoice(audio: Blob, voice: VoiceRecording): void {
    const extension = audio.type.includes('ogg') ? 'ogg' : audio.type.includes('mp4') ? 'm4a' : 'webm';
    this.#queue(new File([audio], `voice.${extension}`, { type: audio.type }), voice);
  }

  #queue(file: File, voice?: VoiceRecording): void {
    const { conversationId } = this.host;
    if (!conversationId) return;
    this.#uploads.push({
      id: ++uploadIds,
      conversationId,
      file,
      ...(voice ? { voice } : {}),
      loaded: 0,
      state: 'waiting',
      error: null,
      abort: new AbortController(),
    });
    this.host.requestUpdate();
    void this.#sendAll();
  }

  /** Pasted files (a screenshot, a copied image) are sent; pasted text is left to the text area. */
  readonly onPaste = (event: ClipboardEvent): void => {
    const data = event.clipboardData;
    if (!data || data.files.length === 0 || data.types.includes('text/plain')) return;
    event.preventDefault();
    this.add(data.files);
  };

  /** The attach button and its hidden file input. */
  renderPicker(t: Translator) {
    if (!this.host.client || !this.host.conversationId) return nothing;
    const pick = (event: Event) => {
      const input = event.target as HTMLInputElement;
      if (input.files) this.add(input.files);
      input.value = ''; // the same file may be picked again
    };
    return html`<input
        id="attach-input"
        class="visually-hidden"
        type="file"
        multiple
        tabindex="-1"
        aria-hidden="true"
        @change=${pick}
      />
      <button
        type="button"
        part="attach-button"
        class="icon-button attach"
        aria-label=${t.t('attach.button')}
        title=${t.t('attach.button')}
        @click=${() => this.host.shadowRoot?.querySelector<HTMLInputElement>('#attach-input')?.click()}
      >
        ${icons.attach}
      </button>`;
  }

  /** The uploads of the open conversation, and the drop hint while files are dragged over. */
  renderTray(t: Translator) {
    const uploads = this.#uploads.filter((upload) => upload.conversationId === this.host.conversationId);
    const hint = html`<p part="drop-hint" class="drop-hint">${t.t('attach.drop')}</p>`;
    return html`${this.#dragging ? hint : nothing}
    ${uploads.length > 0
      ? html`<ul part="uploads" class="uploads" aria-label=${t.t('attach.uploads')}>
          ${uploads.map((upload) => this.#renderUpload(upload, t))}
        </ul>`
      : nothing}`;
  }

  #renderUpload(upload: Upload, t: Translator) {
    const { name, size } = upload.file;
    if (upload.state === 'failed') {
      return html`<li class="upload failed" part="upload">
        <span class="upload-error" role="alert">${upload.error?.text}</span>
        ${upload.error?.retryable
          ? html`<button type="button" class="text-button" @click=${() => this.#retry(upload)}>
              ${t.t('retry')}
            </button>`
          : nothing}
        <button
          type="button"
          class="icon-button"
          aria-label=${t.t('attach.dismiss')}
          title=${t.t('attach.dismiss')}
          @click=${() => this.#remove(upload)}
        >
          ${icons.close}
        </button>
      </li>`;
    }
    const label = t.t(upload.state === 'waiting' ? 'attach.waiting' : 'attach.uploading', { name });
    const cancel = t.t('attach.cancel', { name });
    return html`<li class="upload" part="upload">
      <span class="upload-name" title=${name}>${name}</span>
      <span class="upload-size">${formatFileSize(size, t.lang)}</span>
      <progress
        part="upload-progress"
        max=${Math.max(size, 1)}
        .value=${upload.loaded}
        aria-label=${label}
      ></progress>
      <button
        type="button"
        class="icon-button"
        aria-label=${cancel}
        title=${cancel}
        @click=${() => this.#cancel(upload)}
      >
        ${icons.close}
      </button>
    </li>`;
  }

  /** One at a time, in order, so that the messages arrive in the order the files were added. */
  async #sendAll(): Promise<void> {
    if (this.#sending) return;
    this.#sending = true;
    try {
      for (let next = this.#next(); next; next = this.#next()) await this.#send(next);
    } finally {
      this.#sending = false;
    }
  }

  #next(): Upload | undefined {
    return this.#uploads.find((upload) => upload.state === 'waiting');
  }

  async #send(upload: Upload): Promise<void> {
    const client = this.host.client;
    upload.state = 'uploading';
    this.host.requestUpdate();
    try {
      if (!client) throw new ChatError(LocalErrorCode.Offline, 'no client');
      const options = {
        signal: upload.abort.signal,
        onProgress: ({ loaded }: { loaded: number }) => {
          upload.loaded = loaded;
          this.host.requestUpdate();
        },
      };
      if (upload.voice) await client.files.sendVoice(upload.conversationId, upload.file, upload.voice, options);
      else await client.files.sendFile(upload.conversationId, upload.file, options);
      this.#remove(upload);
    } catch (error) {
      const code = error instanceof ChatError ? error.code : ErrorCode.Internal;
      if (code === LocalErrorCode.Cancelled) return this.#remove(upload);
      upload.state = 'failed';
      upload.error = this.#describe(error, upload.file.name);
      this.host.requestUpdate();
    }
  }

  #describe(error: unknown, name: string): Upload['error'] {
    const t = this.host.translator;
    const code = error instanceof ChatError ? error.code : ErrorCode.Internal;
    if (!t) return { text: String(error), retryable: false };
    if (error instanceof FileTooLargeError) {
      const limit = formatFileSize(error.maxBytes, t.lang);
      return { text: t.t('attach.tooLarge', { name, limit }), retryable: false };
    }
    if (code === ErrorCode.FileTypeNotAllowed) {
      return { text: t.t('attach.typeNotAllowed', { name }), retryable: false };
    }
    const retryable = code !== ErrorCode.NotFound && code !== ErrorCode.InvalidPayload;
    return { text: t.t('attach.failed', { name, reason: t.error(code) }), retryable };
  }

  #cancel(upload: Upload): void {
    upload.abort.abort();
    // A waiting one has no request to abort: it just leaves the queue.
    if (upload.state === 'waiting') this.#remove(upload);
  }

  #retry(upload: Upload): void {
    Object.assign(upload, { state: 'waiting', loaded: 0, error: null, abort: new AbortController() });
    this.host.requestUpdate();
    void this.#sendAll();
  }

  #remove(upload: Upload): void {
    this.#uploads = this.#uploads.filter((other) => other !== upload);
    this.host.requestUpdate();
  }

  readonly #onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files') || !this.host.conversationId) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (!this.#dragging) {
      this.#dragging = true;
      this.host.requestUpdate();
    }
    clearTimeout(this.#dragTimer);
    this.#dragTimer = setTimeout(() => this.#endDrag(), dragLingerMs);
  };

  readonly #onDrop = (event: DragEvent): void => {
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0 || !this.host.conversationId) return;
    event.preventDefault();
    this.#endDrag();
    this.add(files);
  };

  #endDrag(): void {
    clearTimeout(this.#dragTimer);
    this.#dragging = false;
    this.host.requestUpdate();
  }
}

export const attachmentStyles = css`
  .attach {
    flex: none;
    width: 40px;
    height: 40px;
    color: var(--im-color-muted);
  }
  .attach svg {
    width: 22px;
    height: 22px;
  }
  .drop-hint {
    margin: 0 0 8px;
    padding: 14px;
    border: 2px dashed var(--im-color-accent-text);
    border-radius: var(--im-radius);
    text-align: center;
    color: var(--im-color-accent-text);
  }
  .uploads {
    display: flex;
    flex-direction: column;
    gap: 4px;
    margin: 0 0 8px;
    padding: 0;
    list-style: none;
  }
  .upload {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 36px;
    padding: 2px 4px 2px 12px;
    border-radius: var(--im-radius);
    background: var(--im-color-surface);
    font-size: 0.9em;
  }
  .upload-name {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .upload-size {
    flex: none;
    color: var(--im-color-muted);
  }
  .upload progress {
    flex: 1;
    min-width: 60px;
    height: 6px;
    accent-color: var(--im-color-accent-text);
  }
  .upload-error {
    flex: 1;
    color: var(--im-color-danger);
  }
  .text-button {
    padding: 4px 8px;
    border: none;
    border-radius: var(--im-radius);
    background: transparent;
    color: var(--im-color-accent-text);
    cursor: pointer;
  }
`;
