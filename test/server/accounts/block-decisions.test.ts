import { describe, expect, it } from 'vitest';
import { limits } from '../../../src/protocol/limits.js';
import { decideUserBlock, refuseBlocked, type BlockSnapshot } from '../../../src/server/accounts/block-decisions.js';

const none: BlockSnapshot = { targetExists: true, blockedAt: null, blockedCount: 0 };
const block = (snapshot: Partial<BlockSnapshot>, blocked = true, userId = 'bob') =>
  decideUserBlock({ ...none, ...snapshot }, { blockerId: 'ann', userId, blocked }, 5000);

describe('blocking a user', () => {
  it('blocks someone not blocked yet, from now', () => {
    expect(block({})).toEqual({
      ok: true,
      writes: [{ kind: 'block', blockerId: 'ann', userId: 'bob', at: 5000 }],
      result: { changed: true, blockedAt: 5000 },
    });
  });

  it('keeps when a block began, and unblocking someone not blocked changes nothing', () => {
    expect(block({ blockedAt: 1000 })).toEqual({ ok: true, writes: [], result: { changed: false, blockedAt: 1000 } });
    expect(block({}, false)).toEqual({ ok: true, writes: [], result: { changed: false, blockedAt: null } });
  });

  it('unblocks', () => {
    expect(block({ blockedAt: 1000 }, false)).toEqual({
      ok: true,
      writes: [{ kind: 'unblock', blockerId: 'ann', userId: 'bob' }],
      result: { changed: true, blockedAt: null },
    });
  });

  it('refuses oneself, an unknown user, and one more past the limit', () => {
    const code = (decision: ReturnType<typeof block>) => (decision.ok ? 'allowed' : decision.error.code);
    expect(code(block({}, true, 'ann'))).toBe('invalid_payload');
    expect(code(block({ targetExists: false }))).toBe('not_found');
    expect(code(block({ blockedCount: limits.blockedUsersMax }))).toBe('forbidden');
    expect(code(block({ blockedCount: limits.blockedUsersMax - 1 }))).toBe('allowed');
    // Unblocking is always possible, even at the limit.
    expect(code(block({ blockedCount: limits.blockedUsersMax, blockedAt: 1 }, false))).toBe('allowed');
  });

  it('gives the same neutral refusal whichever of the two blocked', () => {
    expect(refuseBlocked(['bob', 'carol'], new Set(['carol']))?.code).toBe('recipient_unavailable');
    expect(refuseBlocked(['bob'], new Set(['carol']))).toBeNull();
  });
});
