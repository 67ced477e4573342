import { describe, expect, it } from 'vitest';
import {
  decideConfirmAnnouncement,
  tallyConfirmations,
  type AnnouncementSnapshot,
} from '../../../src/server/groups/announcements.js';
import { allowed, outcome } from './snapshot.js';

const group = { announcement: 'Standup moves to 10:00', announcementSeq: 7, dismissed: false };
const snapshot = (changes: Partial<AnnouncementSnapshot> = {}): AnnouncementSnapshot => ({
  group,
  member: { state: 'active', confirmedSeq: 0 },
  ...changes,
});
const confirm = (changes: Partial<AnnouncementSnapshot> = {}, announcementSeq = 7) =>
  decideConfirmAnnouncement(snapshot(changes), { userId: 'carol', announcementSeq });

describe('confirming an announcement', () => {
  it('records the version an active member confirmed', () => {
    const { writes, result } = allowed(confirm());
    expect(writes).toEqual([{ kind: 'confirmAnnouncement', userId: 'carol', announcementSeq: 7 }]);
    expect(result).toEqual({ confirmed: true });
  });

  it('changes nothing when the member confirmed this version already (another device)', () => {
    const { writes, result } = allowed(confirm({ member: { state: 'active', confirmedSeq: 7 } }));
    expect(writes).toEqual([]);
    expect(result).toEqual({ confirmed: false });
  });

  it('refuses a version that is no longer current, or when the announcement was removed', () => {
    expect(outcome(confirm({}, 5))).toBe('announcement_changed');
    expect(outcome(confirm({}, 9))).toBe('announcement_changed');
    expect(outcome(confirm({ group: { ...group, announcement: '' } }))).toBe('announcement_changed');
    // A member who confirmed the old one still has to confirm the new one.
    expect(outcome(confirm({ member: { state: 'active', confirmedSeq: 5 } }))).toBe('allowed');
  });

  it('answers strangers, former members and other conversations as if there were no group', () => {
    expect(outcome(confirm({ member: null }))).toBe('not_found');
    expect(outcome(confirm({ member: { state: 'left', confirmedSeq: 0 } }))).toBe('not_found');
    expect(outcome(confirm({ member: { state: 'removed', confirmedSeq: 7 } }))).toBe('not_found');
    expect(outcome(confirm({ group: null }))).toBe('not_found');
  });

  it('refuses in a dismissed group', () => {
    expect(outcome(confirm({ group: { ...group, dismissed: true } }))).toBe('group_dismissed');
  });
});

describe('who has confirmed', () => {
  const members = [
    { userId: 'alice', confirmedSeq: 7 },
    { userId: 'bob', confirmedSeq: 3 },
    { userId: 'carol', confirmedSeq: 0 },
    { userId: 'dave', confirmedSeq: 7 },
  ];

  it('counts confirmations of the current version only', () => {
    expect(tallyConfirmations(7, members, 200)).toEqual({
      announcementSeq: 7,
      confirmedCount: 2,
      pendingCount: 2,
      confirmed: ['alice', 'dave'],
      pending: ['bob', 'carol'],
    });
  });

  it('lists at most the limit of each, with the full counts', () => {
    const tally = tallyConfirmations(7, members, 1);
    expect(tally).toMatchObject({ confirmedCount: 2, pendingCount: 2, confirmed: ['alice'], pending: ['bob'] });
  });

  it('has everyone pending when there is no announcement', () => {
    const tally = tallyConfirmations(0, [{ userId: 'alice', confirmedSeq: 0 }], 200);
    expect(tally).toMatchObject({ confirmedCount: 0, pendingCount: 1, pending: ['alice'] });
  });
});
