import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobTooLargeError, type BlobStore, type ByteRange } from './blob-store.js';

// Keys are made by the server; anything else (a path, "..") is a bug, not a file.
const keyPattern = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Blobs as files under one directory, spread over 4096 subdirectories by the key's first
 * two characters. A blob is written to `tmp/` and renamed into place once flushed, so a
 * crash mid-upload never leaves a partial file under a key.
 *
 * @example
 * const store = new DiskBlobStore(join(dataDir, 'files'));
 */
export class DiskBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async put(
    key: string,
    data: AsyncIterable<Uint8Array>,
    { maxBytes }: { maxBytes: number },
  ): Promise<number> {
    const target = this.#path(key);
    const temporary = join(this.root, 'tmp', `${key}.${randomBytes(6).toString('hex')}`);
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    let size = 0;
    async function* counted() {
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
        yield chunk;
      }
    }
    try {
      await pipeline(Readable.from(counted()), createWriteStream(temporary, { flags: 'wx', flush: true }));
      await mkdir(join(target, '..'), { recursive: true });
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return size;
  }

  async open(key: string, range?: ByteRange): Promise<Readable | null> {
    const stream = createReadStream(this.#path(key), range);
    // A missing file fails on open: wait for that, so callers can answer 404 before any header.
    return new Promise((resolve, reject) => {
      stream.once('ready', () => resolve(stream));
      stream.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'ENOENT' ? resolve(null) : reject(error),
      );
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  #path(key: string): string {
    if (!keyPattern.test(key)) throw new Error(`not a blob key: ${key}`);
    return join(this.root, key.slice(0, 2), key);
  }
}
