import { describe, expect, it } from 'vitest';
import { decideSubscribe, pushSubscriptionsPerUserMax } from '../../../src/server/push/subscriptions.js';

const subscription = (endpoint: string) => ({ endpoint, userId: 'ann', p256dh: 'key', auth: 'auth' });

describe('decideSubscribe', () => {
  it('stores the subscription and drops nothing under the cap', () => {
    expect(decideSubscribe([{ endpoint: 'a', createdAt: 1 }], subscription('b'), 2)).toEqual({
      ok: true,
      writes: [{ kind: 'saveSubscription', subscription: subscription('b'), now: 2 }],
      result: undefined,
    });
  });

  it("keeps a user's newest subscriptions: the oldest beyond the cap go", () => {
    const stored = Array.from({ length: pushSubscriptionsPerUserMax }, (_, i) => ({ endpoint: `e${i}`, createdAt: 100 + i }));
    expect(decideSubscribe(stored, subscription('new'), 500)).toMatchObject({
      writes: [{ kind: 'saveSubscription' }, { kind: 'dropSubscriptions', endpoints: ['e0'] }],
    });
  });

  it('renews a browser already subscribed instead of counting it twice', () => {
    const stored = Array.from({ length: pushSubscriptionsPerUserMax }, (_, i) => ({ endpoint: `e${i}`, createdAt: 100 + i }));
    expect(decideSubscribe(stored, subscription('e0'), 500)).toEqual({
      ok: true,
      writes: [{ kind: 'saveSubscription', subscription: subscription('e0'), now: 500 }],
      result: undefined,
    });
  });

  it('breaks a tie in time by endpoint', () => {
    const stored = Array.from({ length: pushSubscriptionsPerUserMax }, (_, i) => ({ endpoint: `e${i}`, createdAt: 100 }));
    expect(decideSubscribe(stored, subscription('x'), 100)).toMatchObject({
      writes: [{}, { endpoints: ['x'] }],
    });
  });
});
