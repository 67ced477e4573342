/**
 * Announcements people confirm: a member's "Got it" for the announcement a group shows.
 * An announcement's version is the seq of the `group.updated` event that set it, so a
 * confirmation names what it confirms and a new announcement leaves everyone to confirm
 * it again.
 */
import { allow, refuse, type Decision } from '../decision.js';
import type { MembershipState } from './model.js';

/** What storage loads for a confirmation, in the transaction that applies it. */
export interface AnnouncementSnapshot {
  /** Null: no group with this id (or another kind of conversation). */
  group: { announcement: string; announcementSeq: number; dismissed: boolean } | null;
  /** The confirming user's membership; null if they never were a member. */
  member: { state: MembershipState; confirmedSeq: number } | null;
}

export type AnnouncementWrite = { kind: 'confirmAnnouncement'; userId: string; announcementSeq: number };

/** Whether the confirmation changed anything (a second "Got it" from another device does not). */
export interface ConfirmOutcome {
  confirmed: boolean;
}

/**
 * An active member of a live group confirms the current announcement, named by its seq.
 * A stranger or former member gets `not_found` (as for every group command); a dismissed
 * group `group_dismissed`; an announcement that changed or was removed since
 * `announcement_changed`. Confirming again changes nothing.
 */
export function decideConfirmAnnouncement(
  snapshot: AnnouncementSnapshot,
  command: { userId: string; announcementSeq: number },
): Decision<AnnouncementWrite, ConfirmOutcome> {
  const { group, member } = snapshot;
  if (!group || member?.state !== 'active') return refuse('not_found', 'no such group');
  if (group.dismissed) return refuse('group_dismissed', 'the group was dismissed');
  if (group.announcement === '' || group.announcementSeq !== command.announcementSeq) {
    return refuse(
      'announcement_changed',
      group.announcement === ''
        ? 'the group has no announcement now'
        : `the announcement changed: the current one is at seq ${group.announcementSeq}`,
    );
  }
  if (member.confirmedSeq === group.announcementSeq) return allow([], { confirmed: false });
  return allow([{ kind: 'confirmAnnouncement', userId: command.userId, announcementSeq: group.announcementSeq }], {
    confirmed: true,
  });
}

/** Who has and has not confirmed: counts, and at most `listMax` ids of each, in the order given. */
export function tallyConfirmations(
  announcementSeq: number,
  members: readonly { userId: string; confirmedSeq: number }[],
  listMax: number,
): { announcementSeq: number; confirmedCount: number; pendingCount: number; confirmed: string[]; pending: string[] } {
  const confirmed: string[] = [];
  const pending: string[] = [];
  for (const member of members) {
    (announcementSeq > 0 && member.confirmedSeq === announcementSeq ? confirmed : pending).push(member.userId);
  }
  return {
    announcementSeq,
    confirmedCount: confirmed.length,
    pendingCount: pending.length,
    confirmed: confirmed.slice(0, listMax),
    pending: pending.slice(0, listMax),
  };
}
