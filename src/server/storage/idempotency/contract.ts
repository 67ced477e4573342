/** The idempotency area of storage: the admin API's keys and their answers (see idempotency/claims.ts). */
import type { IdempotencyClaim, IdempotentRequest } from '../../idempotency/claims.js';
import type { StorageArea } from '../area.js';

export interface IdempotencyWrites {
  /** Judged by `decideClaim`; of two claims of one key at once, the second sees the first's. */
  claim(request: IdempotentRequest): Promise<IdempotencyClaim>;
  /** Keeps the answer for retries. */
  finish(input: { scope: string; key: string; status: number; body: string }): Promise<void>;
  /** Lets a retry run again (the first attempt failed without an answer worth keeping). */
  release(input: { scope: string; key: string }): Promise<void>;
  /** Forgets keys claimed before `before`. */
  prune(before: number): Promise<void>;
}

export type IdempotencyStorage = StorageArea<Record<never, never>, IdempotencyWrites>;
