import { describe, expect, it } from 'vitest';
import { decideDelivered, decideRead, type ReadPosition } from '../../../src/server/reads/decisions.js';

const position = (overrides: Partial<ReadPosition> = {}): ReadPosition => ({
  readSeq: 3,
  deliveredSeq: 4,
  visibleSeq: 10,
  markedUnread: false,
  ...overrides,
});

describe('decideRead', () => {
  it('moves the read position forward only, never past what the member can see', () => {
    expect(decideRead(position(), 6)).toEqual({
      ok: true,
      writes: [{ kind: 'setRead', readSeq: 6 }],
      result: { readSeq: 6, deliveredSeq: 6, changed: true },
    });
    expect(decideRead(position(), 2)).toEqual({ ok: true, writes: [], result: { readSeq: 3, deliveredSeq: 4, changed: false } });
    expect(decideRead(position(), 99)).toMatchObject({ writes: [{ readSeq: 10 }], result: { readSeq: 10, deliveredSeq: 10 } });
    // A former member's view ends at the event that ended their membership.
    expect(decideRead(position({ visibleSeq: 5 }), 99)).toMatchObject({ result: { readSeq: 5, changed: true } });
  });

  it('clears "marked unread" even with nothing new to read', () => {
    expect(decideRead(position({ markedUnread: true }), 3)).toMatchObject({
      writes: [{ kind: 'setRead', readSeq: 3 }],
      result: { changed: true },
    });
  });

  it('refuses someone who never belonged', () => {
    expect(decideRead(null, 1)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('decideDelivered', () => {
  it('moves the delivered position forward only, never past what the member can see', () => {
    expect(decideDelivered(position(), 7)).toEqual({
      ok: true,
      writes: [{ kind: 'setDelivered', deliveredSeq: 7 }],
      result: { deliveredSeq: 7, readSeq: 3, changed: true },
    });
    expect(decideDelivered(position(), 4)).toMatchObject({ writes: [], result: { deliveredSeq: 4, changed: false } });
    expect(decideDelivered(position(), 1)).toMatchObject({ writes: [], result: { deliveredSeq: 4, changed: false } });
    expect(decideDelivered(position(), 50)).toMatchObject({ result: { deliveredSeq: 10 } });
    expect(decideDelivered(null, 1)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
