import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileAccessResult } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';

/** How long a file access token works. */
export const fileAccessTtlMs = 60 * 60_000;

/**
 * Signs and checks the tokens that file URLs carry (`?access=`), so that `<img>` and
 * download links work without headers. A token is `<userId>.<expiry>.<mac>`, the MAC being
 * HMAC-SHA256 over user, conversation and expiry with a secret kept in storage: it names
 * the user (the download checks they are still a member) and works only for files of the
 * conversation it was issued for.
 */
export class FileAccess {
  #key: Promise<Uint8Array> | null = null;

  constructor(
    private readonly storage: Pick<Storage, 'files'>,
    private readonly clock: Clock,
  ) {}

  async issue(userId: string, conversationId: string): Promise<FileAccessResult> {
    // Whole seconds keep tokens short; every token lives about as long.
    const expires = Math.floor((this.clock.now() + fileAccessTtlMs) / 1000);
    const mac = await this.#mac(userId, conversationId, expires);
    const token = `${Buffer.from(userId).toString('base64url')}.${expires}.${mac}`;
    return { token, expiresAt: expires * 1000 };
  }

  /** The user the token was issued to, if it is genuine, unexpired and for this conversation. */
  async verify(
    token: string,
    conversationId: string,
  ): Promise<{ userId: string; expiresAt: number } | null> {
    const match = /^([A-Za-z0-9_-]{1,200})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const userId = Buffer.from(match[1]!, 'base64url').toString();
    const expires = Number(match[2]);
    if (expires * 1000 <= this.clock.now()) return null;
    const expected = Buffer.from(await this.#mac(userId, conversationId, expires));
    const given = Buffer.from(match[3]!);
    if (!timingSafeEqual(expected, given)) return null;
    return { userId, expiresAt: expires * 1000 };
  }

  async #mac(userId: string, conversationId: string, expires: number): Promise<string> {
    this.#key ??= this.storage.files.write.accessSecret().catch((error: unknown) => {
      this.#key = null; // storage was unavailable: try again next time
      throw error;
    });
    // JSON keeps the fields apart whatever characters the ids contain.
    const message = JSON.stringify([userId, conversationId, expires]);
    return createHmac('sha256', await this.#key).update(message).digest('base64url');
  }
}
