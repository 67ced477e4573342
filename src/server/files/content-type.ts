/**
 * What an upload really is, judged from its bytes: never from its name or the
 * Content-Type the browser sent. Magic numbers by `file-type`; text is UTF-8 without NUL
 * bytes; image dimensions by `image-size`.
 */
import { TextDecoder } from 'node:util';
import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';

/** Images every browser shows inline; any other image type is served as a download. */
export const inlineImageTypes: ReadonlySet<string> = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

/** Accepted unless `IM_FILE_TYPES` says otherwise. */
export const defaultFileTypes: readonly string[] = [
  ...inlineImageTypes,
  'application/pdf',
  'application/zip',
  'application/rtf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/aac',
  'audio/ogg',
  'audio/wav',
  'audio/flac',
  'video/mp4',
  'video/x-m4v',
  'video/webm',
  'video/ogg',
  'video/quicktime',
];

/**
 * Types a browser would run as a page or script if it ever rendered them: refused even
 * when configured. (HTML and SVG without an XML declaration are text to the sniffer and
 * are served as text/plain downloads.)
 */
const neverAllowed = new Set(['text/html', 'image/svg+xml', 'application/xml', 'application/xhtml+xml']);

/** `image/*` style entries allow a whole top-level type. */
export function isTypeAllowed(mime: string, allowed: readonly string[]): boolean {
  if (neverAllowed.has(mime)) return false;
  const [top] = mime.split('/');
  return allowed.includes(mime) || allowed.includes(`${top}/*`);
}

/** Bytes kept for sniffing: room for big EXIF and ICC blocks before a JPEG's frame header. */
const headBytes = 512 * 1024;

/**
 * Watches an upload as it streams past: keeps its first bytes and checks, over the whole
 * content, whether it is UTF-8 text without NUL bytes.
 */
export class ContentInspector {
  #head: Uint8Array[] = [];
  #headSize = 0;
  #text: TextDecoder | null = new TextDecoder('utf-8', { fatal: true });

  observe(chunk: Uint8Array): void {
    if (this.#headSize < headBytes) {
      const part = chunk.subarray(0, headBytes - this.#headSize);
      this.#head.push(part);
      this.#headSize += part.byteLength;
    }
    if (this.#text && (chunk.includes(0) || !decodes(this.#text, chunk, true))) this.#text = null;
  }

  /** What the content is; call once the whole upload went through `observe`. */
  /** The first bytes seen (up to 512 KiB). */
  get head(): Buffer {
    return Buffer.concat(this.#head);
  }

  async sniff(): Promise<SniffedContent> {
    const head = this.head;
    const found = await fileTypeFromBuffer(head);
    if (found) return { mime: found.mime, ...(inlineImageTypes.has(found.mime) ? dimensions(head) : {}) };
    const isText = this.#text !== null && decodes(this.#text, new Uint8Array(), false);
    return { mime: isText ? 'text/plain' : 'application/octet-stream' };
  }
}

export interface SniffedContent {
  mime: string;
  /** Pixels as displayed (EXIF rotation applied), for images whose header could be read. */
  width?: number;
  height?: number;
}

function decodes(decoder: TextDecoder, chunk: Uint8Array, more: boolean): boolean {
  try {
    decoder.decode(chunk, { stream: more });
    return true;
  } catch {
    return false;
  }
}

function dimensions(head: Uint8Array): { width?: number; height?: number } {
  try {
    const { width, height, orientation } = imageSize(head);
    if (!width || !height) return {};
    // EXIF orientations 5-8 turn the picture by 90°: browsers show it rotated.
    return orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
  } catch {
    return {};
  }
}
