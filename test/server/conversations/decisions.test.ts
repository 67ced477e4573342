import { describe, expect, it } from 'vitest';
import {
  decideMemberSettings,
  decideSingleConversation,
  type MemberSettingsSnapshot,
} from '../../../src/server/conversations/decisions.js';

const snapshot: MemberSettingsSnapshot = {
  settings: { pinnedAt: null, notificationsMuted: false, hiddenSeq: null, markedUnread: false },
  visibleSeq: 7,
};

describe('decideMemberSettings', () => {
  it('keeps the first pin, hides up to what the member sees now, and leaves untouched settings be', () => {
    const pinned = decideMemberSettings(snapshot, { pinned: true, hidden: true }, 5000);
    expect(pinned).toEqual({
      ok: true,
      result: undefined,
      writes: [{ kind: 'saveSettings', settings: { pinnedAt: 5000, notificationsMuted: false, hiddenSeq: 7, markedUnread: false } }],
    });
    const again = { ...snapshot, settings: { ...snapshot.settings, pinnedAt: 5000 } };
    expect(decideMemberSettings(again, { pinned: true, notificationsMuted: true }, 9000)).toMatchObject({
      writes: [{ settings: { pinnedAt: 5000, notificationsMuted: true } }],
    });
    expect(decideMemberSettings(again, { pinned: false, markedUnread: true }, 9000)).toMatchObject({
      writes: [{ settings: { pinnedAt: null, markedUnread: true } }],
    });
  });

  it('refuses someone who never belonged', () => {
    expect(decideMemberSettings(null, { pinned: true }, 1)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('decideSingleConversation', () => {
  const input = { id: 's', memberIds: ['alice', 'bob'] as [string, string], createdBy: 'alice' };

  it('makes the conversation once, with two different members', () => {
    expect(decideSingleConversation(false, input, 10)).toMatchObject({ writes: [{ kind: 'createSingle', input, now: 10 }] });
    expect(decideSingleConversation(true, input, 10)).toMatchObject({ ok: true, writes: [] });
    const alone = { ...input, memberIds: ['alice', 'alice'] as [string, string] };
    expect(decideSingleConversation(false, alone, 10)).toMatchObject({ ok: false });
  });
});
