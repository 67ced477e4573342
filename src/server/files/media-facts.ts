/**
 * What a player needs before audio or video loads: its duration and, for video, its
 * picture size, read from the container's own header (`music-metadata`). Recorded in the
 * browser, media often has none: MediaRecorder writes WebM of unknown length and
 * fragmented MP4, whose header says nothing of what follows. Those facts stay unknown;
 * the server never guesses them.
 */
import type { Readable } from 'node:stream';
import { parseStream } from 'music-metadata';

export interface MediaFacts {
  durationMs?: number;
  width?: number;
  height?: number;
}

/** Longer than any upload's header takes to read from its store. */
const probeTimeoutMs = 10_000;

export function isMedia(mime: string): boolean {
  return mime.startsWith('audio/') || mime.startsWith('video/');
}

/**
 * The facts of a media file, or none where its container does not tell them (or cannot be
 * read: a probe never refuses an upload the sniffer accepted). `head` is its first bytes:
 * an MP4 whose index comes first is read from them alone.
 */
export async function probeMedia(bytes: Readable, mime: string, size: number, head: Uint8Array): Promise<MediaFacts> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const mp4 = mp4Facts(head);
    if (mp4) return mime.startsWith('video/') ? mp4 : pick(mp4, 'durationMs');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('media probe timed out')), probeTimeoutMs);
    });
    const metadata = await Promise.race([
      parseStream(bytes, { mimeType: mime, size }, { duration: true, skipCovers: true }),
      timeout,
    ]);
    const facts: MediaFacts = {};
    const seconds = metadata.format.duration;
    if (seconds !== undefined && Number.isFinite(seconds) && seconds > 0) facts.durationMs = Math.round(seconds * 1000);
    const video = metadata.format.trackInfo.find((track) => track.video)?.video;
    if (mime.startsWith('video/') && video?.pixelWidth && video.pixelHeight) {
      facts.width = video.pixelWidth;
      facts.height = video.pixelHeight;
    }
    return facts;
  } catch {
    return {};
  } finally {
    clearTimeout(timer);
    bytes.destroy();
  }
}

function pick(facts: MediaFacts, key: keyof MediaFacts): MediaFacts {
  return facts[key] === undefined ? {} : { [key]: facts[key] };
}

/**
 * What an MP4's `moov` box says, if it is within `head`: the movie's duration (unless it
 * announces fragments, `mvex`: then it describes only the first one) and the size of its
 * video track.
 */
export function mp4Facts(head: Uint8Array): MediaFacts | null {
  const moov = box(head, 0, head.length, 'moov');
  if (!moov) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const facts: MediaFacts = {};
  const mvhd = box(head, moov.start + 8, moov.end, 'mvhd');
  if (mvhd && !box(head, moov.start + 8, moov.end, 'mvex')) {
    // Version 1 has 64-bit times: timescale then duration follow two of them.
    const long = head[mvhd.start + 8] === 1;
    const at = mvhd.start + 12 + (long ? 16 : 8);
    const timescale = view.getUint32(at);
    const duration = long ? Number(view.getBigUint64(at + 4)) : view.getUint32(at + 4);
    if (timescale > 0 && duration > 0) facts.durationMs = Math.round((duration / timescale) * 1000);
  }
  for (let trak = box(head, moov.start + 8, moov.end, 'trak'); trak; trak = box(head, trak.end, moov.end, 'trak')) {
    const mdia = box(head, trak.start + 8, trak.end, 'mdia');
    const handler = mdia && box(head, mdia.start + 8, mdia.end, 'hdlr');
    const tkhd = box(head, trak.start + 8, trak.end, 'tkhd');
    if (!handler || !tkhd || boxType(head, handler.start + 16) !== 'vide') continue;
    // The box ends with width and height, each a 16.16 fixed-point number.
    const width = view.getUint32(tkhd.end - 8) >>> 16;
    const height = view.getUint32(tkhd.end - 4) >>> 16;
    if (width > 0 && height > 0) Object.assign(facts, { width, height });
    break;
  }
  return facts;
}

/** The first box of `type` among the boxes that run from `from` to `to`, if they are all in `bytes`. */
function box(bytes: Uint8Array, from: number, to: number, type: string): { start: number; end: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Math.min(to, bytes.length);
  for (let at = from; at + 8 <= end; ) {
    let size = view.getUint32(at);
    if (size === 1 && at + 16 <= end) size = Number(view.getBigUint64(at + 8));
    if (size === 0) size = to - at;
    if (size < 8 || at + size > end) return null;
    if (boxType(bytes, at + 4) === type) return { start: at, end: at + size };
    at += size;
  }
  return null;
}

function boxType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}
