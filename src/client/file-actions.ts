import {
  ErrorCode,
  type AttachmentBody,
  type FileAccessResult,
  type FileInfo,
  type ProtocolError,
  type VoiceBody,
} from '../protocol/index.js';
import { limits } from '../protocol/limits.js';
import type { OutboxEntry } from './cache/db.js';
import type { Connection } from './connection.js';
import { ChatError, LocalErrorCode } from './errors.js';
import type { MediaCache } from './cache/media-cache.js';
import type { Outbox } from './outbox.js';

/**
 * What `POST /api/files` answers: the file, the size images (and videos, where the file
 * says) are shown at, and how long audio and video play, where the file says.
 */
export interface UploadedFile {
  file: FileInfo;
  width?: number;
  height?: number;
  duration?: number;
}

/** What the recorder measured of a voice message. */
export type VoiceRecording = Pick<VoiceBody, 'duration' | 'waveform'>;

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  /** The name others see; default the File's own name. */
  name?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting cancels the upload: it rejects with a `cancelled` ChatError. */
  signal?: AbortSignal;
}

/** The server refused a file for its size; `maxBytes` is the server's limit. */
export class FileTooLargeError extends ChatError {
  constructor(
    message: string,
    readonly maxBytes: number,
  ) {
    super(ErrorCode.FileTooLarge, message);
  }
}

/** Images the browser shows inline; anything else is sent as a file. */
const inlineImageTypes = new Set(['image/png', 'image/apng', 'image/jpeg', 'image/gif', 'image/webp']);

/** A cached access token is renewed when it has less than this left. */
const accessRenewMs = 5 * 60_000;

export interface FileActionsOptions {
  serverOrigin: string;
  /** The user's current token, for the upload's Authorization header. */
  token: () => string | null;
  outbox: () => Outbox;
  /** The signed-in user's kept images; null before the user is known. */
  media: () => MediaCache | null;
}

/**
 * Attachments: uploads with progress and cancel, sending them as messages, and URLs that
 * `<img src>` and download links can use (they carry a short-lived access token).
 *
 * @example
 * const entry = await client.files.sendFile(conversationId, file, { onProgress: ({ loaded, total }) => … });
 * img.src = await client.files.url(conversationId, fileId);
 */
export class FileActions {
  readonly #access = new Map<string, FileAccessResult>();
  readonly #pending = new Map<string, Promise<FileAccessResult>>();

  constructor(
    private readonly connection: Connection,
    private readonly options: FileActionsOptions,
  ) {}

  /**
   * Uploads a file to a conversation of the user's; it is sent to no one until a message
   * carries it. Fails with the server's code (`file_too_large` as FileTooLargeError,
   * `file_type_not_allowed`, `not_found`), `offline`, or `cancelled`.
   */
  upload(conversationId: string, file: Blob, options: UploadOptions = {}): Promise<UploadedFile> {
    const token = this.options.token();
    if (!token) return Promise.reject(new ChatError(LocalErrorCode.TokenUnavailable, 'Not signed in.'));
    const name = options.name ?? (file instanceof File && file.name ? file.name : 'file');
    const url = new URL('/api/files', this.options.serverOrigin);
    url.search = new URLSearchParams({ conversationId, name }).toString();
    return new Promise((resolve, reject) => {
      const { signal, onProgress } = options;
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const request = new XMLHttpRequest();
      const onAbort = () => request.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      request.open('POST', url);
      request.setRequestHeader('Authorization', `Bearer ${token}`);
      request.responseType = 'json';
      if (onProgress) {
        request.upload.onprogress = (event) =>
          onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
      }
      request.onloadend = () => signal?.removeEventListener('abort', onAbort);
      request.onload = () =>
        request.status === 201 ? resolve(request.response as UploadedFile) : reject(uploadError(request));
      request.onerror = () =>
        reject(new ChatError(LocalErrorCode.Offline, 'The upload failed: the server could not be reached.'));
      request.onabort = () => reject(cancelled());
      request.send(file);
    });
  }

  /**
   * Uploads, then queues the message through the outbox: it shows at once as pending
   * (with the image, which is already on the server) and is delivered like any message.
   */
  async sendFile(conversationId: string, file: Blob, options: UploadOptions = {}): Promise<OutboxEntry> {
    const uploaded = await this.upload(conversationId, file, options);
    if (options.signal?.aborted) throw cancelled();
    return this.options.outbox().enqueue(conversationId, composedBody(uploaded));
  }

  /**
   * Uploads a recorded voice message and queues it like `sendFile`. Its length is the
   * server's reading of the file where it has one, else the recorder's.
   */
  async sendVoice(conversationId: string, audio: Blob, recording: VoiceRecording, options: UploadOptions = {}): Promise<OutboxEntry> {
    const name = options.name ?? (audio instanceof File ? audio.name : 'voice');
    const uploaded = await this.upload(conversationId, audio, { ...options, name });
    if (options.signal?.aborted) throw cancelled();
    const duration = Math.min(uploaded.duration ?? recording.duration, limits.voiceDurationMaxMs);
    return this.options.outbox().enqueue(conversationId, { type: 'voice', file: uploaded.file, duration, waveform: recording.waveform });
  }

  /**
   * The URL of a file of the conversation, for `<img src>` or a download link. It works
   * for about an hour (a fresh one is made when the cached access has little time left),
   * and only while the user is a member. Needs a connection unless an access is cached.
   */
  async url(conversationId: string, fileId: string): Promise<string> {
    const { token } = await this.#accessTo(conversationId);
    const url = new URL(`/api/files/${encodeURIComponent(fileId)}`, this.options.serverOrigin);
    url.searchParams.set('access', token);
    return url.href;
  }

  /**
   * An image of the conversation as a Blob (for `URL.createObjectURL`): the copy kept
   * from an earlier showing, else fetched from the server and kept within the media
   * cache's budget. Offline and never seen, it fails with `offline`.
   */
  async image(conversationId: string, fileId: string): Promise<Blob> {
    const media = this.options.media();
    const kept = await media?.get(fileId).catch(() => undefined);
    if (kept) return kept;
    let response: Response;
    try {
      response = await fetch(await this.url(conversationId, fileId));
    } catch {
      throw new ChatError(LocalErrorCode.Offline, 'The image could not be fetched: the server is out of reach.');
    }
    if (!response.ok) throw new ChatError(ErrorCode.NotFound, `The image could not be fetched (HTTP ${response.status}).`);
    const blob = await response.blob();
    // Best effort: a full or unavailable cache only means fetching again next time.
    await media?.put(fileId, blob).catch(() => undefined);
    return blob;
  }

  /** The cached access while it has time left, else a new one (one request at a time). */
  async #accessTo(conversationId: string): Promise<FileAccessResult> {
    const cached = this.#access.get(conversationId);
    if (cached && cached.expiresAt - Date.now() > accessRenewMs) return cached;
    let pending = this.#pending.get(conversationId);
    if (!pending) {
      pending = this.connection.request('file:access', { conversationId });
      this.#pending.set(conversationId, pending);
      pending.then(
        (access) => this.#access.set(conversationId, access),
        () => undefined,
      ).finally(() => this.#pending.delete(conversationId));
    }
    try {
      return await pending;
    } catch (error) {
      // Offline, say: the old access still works until it expires.
      if (cached && cached.expiresAt > Date.now()) return cached;
      throw error;
    }
  }
}

/** The message body for an uploaded file: an image when the server measured it, a video played inline. */
export function composedBody({ file, width, height, duration }: UploadedFile): Exclude<AttachmentBody, VoiceBody> {
  if (width && height && inlineImageTypes.has(file.mime)) return { type: 'image', file, width, height };
  if (file.mime.startsWith('video/')) {
    return { type: 'video', file, ...(width && height ? { width, height } : {}), ...(duration ? { duration } : {}) };
  }
  return { type: 'file', file };
}

function cancelled(): ChatError {
  return new ChatError(LocalErrorCode.Cancelled, 'The upload was cancelled.');
}

function uploadError(request: XMLHttpRequest): ChatError {
  const error = (request.response as { error?: ProtocolError & { maxBytes?: number } } | null)?.error;
  if (!error) return new ChatError(ErrorCode.Internal, `The upload failed (HTTP ${request.status}).`);
  if (error.code === ErrorCode.FileTooLarge && typeof error.maxBytes === 'number') {
    return new FileTooLargeError(error.message, error.maxBytes);
  }
  return ChatError.from(error);
}
