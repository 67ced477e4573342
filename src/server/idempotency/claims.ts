/**
 * Idempotency keys of the admin API: the first answer to a write is kept, so that a retry
 * with the same key gets it again instead of acting twice. Pure: the storage loads the key
 * as stored, `decideClaim` judges the request against it, the storage applies the claim.
 */
import { allow, type Decision } from '../decision.js';

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
  /** First time (or an abandoned claim): go ahead, then finish the request. */
  | { state: 'claimed' }
  /** Answered before: send this again. */
  | { state: 'answered'; status: number; body: string }
  /** The first request with this key is still running. */
  | { state: 'in_progress' }
  /** The key was used for another request. */
  | { state: 'mismatch' };

/** A key as stored: its request, when it was claimed and its answer once there is one. */
export interface StoredKey {
  fingerprint: string;
  status: number | null;
  response: string | null;
  createdAt: number;
}

/** The key is (again) claimed by this request, with no answer yet. */
export interface ClaimKey {
  kind: 'claimKey';
  request: IdempotentRequest;
}

export function decideClaim(stored: StoredKey | null, request: IdempotentRequest): Decision<ClaimKey, IdempotencyClaim> {
  if (stored && stored.fingerprint !== request.fingerprint) return allow([], { state: 'mismatch' });
  if (stored?.status != null) return allow([], { state: 'answered', status: stored.status, body: stored.response ?? '' });
  if (stored && stored.createdAt >= request.staleBefore) return allow([], { state: 'in_progress' });
  return allow([{ kind: 'claimKey', request }], { state: 'claimed' });
}
