import { describe, expect, it } from 'vitest';
import type { UserAccount } from '../../../src/server/accounts/account.js';
import {
  decideBlock,
  decideDelete,
  decideSaveAccount,
  eraseSentMessages,
} from '../../../src/server/accounts/decisions.js';

const account = (overrides: Partial<UserAccount> = {}): UserAccount => ({
  user: { id: 'ann', name: 'Ann', avatar: null },
  bot: false,
  roles: [],
  blockedAt: null,
  deletedAt: null,
  createdAt: 1000,
  updatedAt: 1000,
  ...overrides,
});

describe('account decisions', () => {
  it('saves a new or known user, with roles sorted once each, and leaves out what was not given', () => {
    const user = { id: 'ann', name: 'Ann', avatar: null };
    expect(decideSaveAccount(null, { user, roles: ['b', 'a', 'b'] }, 5000)).toEqual({
      ok: true,
      writes: [{ kind: 'saveAccount', user, bot: null, roles: ['a', 'b'], now: 5000 }],
      result: undefined,
    });
    expect(decideSaveAccount(account(), { user, bot: true }, 5000)).toMatchObject({
      ok: true,
      writes: [{ bot: true, roles: null }],
    });
  });

  it('never saves or blocks a deleted user again', () => {
    const deleted = account({ deletedAt: 2000 });
    expect(decideSaveAccount(deleted, { user: deleted.user }, 5000)).toMatchObject({
      ok: false,
      error: { code: 'user_deleted' },
    });
    expect(decideBlock(deleted, true, 5000)).toMatchObject({ ok: false, error: { code: 'user_deleted' } });
  });

  it('blocks from the first time only, unblocks, and knows no unknown user', () => {
    expect(decideBlock(account(), true, 5000)).toMatchObject({ writes: [{ kind: 'setBlocked', blockedAt: 5000 }] });
    expect(decideBlock(account({ blockedAt: 3000 }), true, 5000)).toMatchObject({ writes: [{ blockedAt: 3000 }] });
    expect(decideBlock(account({ blockedAt: 3000 }), false, 5000)).toMatchObject({ writes: [{ blockedAt: null }] });
    expect(decideBlock(null, true, 5000)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('deletes for good, keeping the first deletion time, and drops the push subscriptions', () => {
    expect(decideDelete(account(), 5000)).toEqual({
      ok: true,
      writes: [
        { kind: 'markDeleted', userId: 'ann', name: 'Deleted user', deletedAt: 5000, now: 5000 },
        { kind: 'dropPushSubscriptions', userId: 'ann' },
      ],
      result: undefined,
    });
    expect(decideDelete(account({ deletedAt: 2000 }), 5000)).toMatchObject({ writes: [{ deletedAt: 2000 }, {}] });
    expect(decideDelete(null, 5000)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('erases content and forwarded histories to recalled-by-them, an edit to a recall of its target, and keeps other events', () => {
    const file = { id: 'f', name: 'a.txt', mime: 'text/plain', size: 1 };
    expect(
      eraseSentMessages('ann', [
        { conversationId: 'c', seq: 1, body: { type: 'text', text: 'secret' } },
        { conversationId: 'c', seq: 2, body: { type: 'edit', targetSeq: 1, text: { type: 'text', text: 'secret 2' } } },
        { conversationId: 'c', seq: 3, body: { type: 'file', file } },
        { conversationId: 'c', seq: 4, body: { type: 'recall', targetSeq: 3 } },
        {
          conversationId: 'c',
          seq: 5,
          body: {
            type: 'history',
            from: { kind: 'group', name: 'Team' },
            people: [],
            items: [{ senderId: 'bo', createdAt: 1, body: { type: 'text', text: 'forwarded' } }],
          },
        },
      ]),
    ).toEqual([
      { conversationId: 'c', seq: 1, body: { type: 'recalled', by: 'ann' } },
      { conversationId: 'c', seq: 2, body: { type: 'recall', targetSeq: 1 } },
      { conversationId: 'c', seq: 3, body: { type: 'recalled', by: 'ann' } },
      { conversationId: 'c', seq: 5, body: { type: 'recalled', by: 'ann' } },
    ]);
  });
});
