/**
 * The admin API's `Idempotency-Key`: the command API over the idempotency area of storage
 * (the judgement is `decideClaim` in claims.ts).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Storage } from '../storage/storage.js';
import type { IdempotencyClaim } from './claims.js';

/** How long a key's answer is kept. */
const keepMs = 24 * 60 * 60_000;
/** A first request still unanswered after this long is taken as lost. */
const abandonedAfterMs = 60_000;

/** One request under a key: who sent it, the key, and what makes it the same request again. */
export interface KeyedRequest {
  scope: string;
  key: string;
  method: string;
  url: string;
  body: string;
}

export class IdempotencyKeys {
  constructor(private readonly deps: { storage: Pick<Storage, 'idempotency'>; clock: Clock }) {}

  /** Whether this request goes ahead, was answered before, is still running, or reuses the key. */
  claim({ scope, key, method, url, body }: KeyedRequest): Promise<IdempotencyClaim> {
    const now = this.deps.clock.now();
    const fingerprint = createHash('sha256').update(`${method}\n${url}\n${body}`).digest('base64url');
    return this.deps.storage.idempotency.write.claim({ scope, key, fingerprint, now, staleBefore: now - abandonedAfterMs });
  }

  /** Keeps the answer for retries; a server failure (5xx) is not kept, so a retry runs again. */
  finish(claimed: { scope: string; key: string }, answer: { status: number; body: string }): Promise<void> {
    const keys = this.deps.storage.idempotency.write;
    return answer.status >= 500 ? keys.release(claimed) : keys.finish({ ...claimed, ...answer });
  }

  /** Forgets answers older than a day. */
  prune(): Promise<void> {
    return this.deps.storage.idempotency.write.prune(this.deps.clock.now() - keepMs);
  }
}
