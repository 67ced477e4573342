import { describe, expect, it } from 'vitest';
import { decideClaim, type StoredKey } from '../../../src/server/idempotency/claims.js';

const request = { scope: 'key:a', key: 'k1', fingerprint: 'f1', now: 100_000, staleBefore: 40_000 };
const stored = (overrides: Partial<StoredKey> = {}): StoredKey => ({
  fingerprint: 'f1',
  status: null,
  response: null,
  createdAt: 90_000,
  ...overrides,
});

describe('decideClaim', () => {
  it('claims a new key', () => {
    expect(decideClaim(null, request)).toEqual({ ok: true, writes: [{ kind: 'claimKey', request }], result: { state: 'claimed' } });
  });

  it('gives the kept answer again, and nothing else, to the same request', () => {
    expect(decideClaim(stored({ status: 201, response: '{"a":1}' }), request)).toEqual({
      ok: true,
      writes: [],
      result: { state: 'answered', status: 201, body: '{"a":1}' },
    });
  });

  it('refuses the key for another request, and while the first one still runs', () => {
    expect(decideClaim(stored({ fingerprint: 'f2', status: 200 }), request)).toMatchObject({ writes: [], result: { state: 'mismatch' } });
    expect(decideClaim(stored(), request)).toMatchObject({ writes: [], result: { state: 'in_progress' } });
  });

  it('takes over a claim abandoned before staleBefore', () => {
    expect(decideClaim(stored({ createdAt: 39_999 }), request)).toMatchObject({
      writes: [{ kind: 'claimKey' }],
      result: { state: 'claimed' },
    });
  });
});
