/**
 * Idempotency keys of the admin API: the first answer to a write is kept, so that a retry
 * with the same key gets it again instead of acting twice. Part of the storage contract.
 */

export interface IdempotentRequest {
  /** Who asked (one API credential's keys never meet another's). */
  scope: string;
  key: string;
  /** Method, path and body, hashed: the same key with another request is refused. */
  fingerprint: string;
  now: number;
  /** A claim made before this moment and never finished is taken as abandoned. */
  staleBefore: number;
}

export type IdempotencyClaim =
  /** First time (or an abandoned claim): go ahead, then `finishIdempotentRequest`. */
  | { state: 'claimed' }
  /** Answered before: send this again. */
  | { state: 'answered'; status: number; body: string }
  /** The first request with this key is still running. */
  | { state: 'in_progress' }
  /** The key was used for another request. */
  | { state: 'mismatch' };

export interface IdempotencyStorage {
  claimIdempotencyKey(request: IdempotentRequest): Promise<IdempotencyClaim>;
  /** Keeps the answer for retries. */
  finishIdempotentRequest(input: { scope: string; key: string; status: number; body: string }): Promise<void>;
  /** Lets a retry run again (the first attempt failed without an answer worth keeping). */
  releaseIdempotencyKey(input: { scope: string; key: string }): Promise<void>;
  /** Forgets keys claimed before `before`. */
  pruneIdempotencyKeys(before: number): Promise<void>;
}
