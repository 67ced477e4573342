/**
 * Where uploaded bytes live. The reference server keeps them on disk (DiskBlobStore); an
 * S3-compatible store implements the same three calls (multipart upload or PutObject with
 * a counting stream, GetObject with a Range, DeleteObject).
 */
import type { Readable } from 'node:stream';

/** Bytes `start` to `end`, both inclusive (as in an HTTP Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStore {
  /**
   * Stores `data` under `key` and resolves with its size once the bytes are durable. Past
   * `maxBytes` it stops reading and rejects with BlobTooLargeError; whatever fails, nothing
   * is left under the key.
   */
  put(key: string, data: AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<number>;
  /** The blob's bytes (all, or a range within its size), or null if there is no such blob. */
  open(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes the blob; nothing happens if there is none. */
  delete(key: string): Promise<void>;
}

export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}
