/**
 * The rules of conversations as such: a single chat is made once, with both members;
 * each member's own settings of a conversation (pinned, muted notifications, hidden,
 * marked unread) are theirs alone.
 */
import { allow, refuse, type Decision } from '../decision.js';

export interface StartSingleInput {
  id: string;
  memberIds: [string, string];
  createdBy: string;
}

/** Makes the single conversation, unless it exists (`exists`), for the storage to read back. */
export type SingleConversationWrite = { kind: 'createSingle'; input: StartSingleInput; now: number };

export function decideSingleConversation(
  exists: boolean,
  input: StartSingleInput,
  now: number,
): Decision<SingleConversationWrite> {
  if (input.memberIds[0] === input.memberIds[1]) {
    return refuse('invalid_payload', 'a single conversation needs two different members');
  }
  return allow(exists ? [] : [{ kind: 'createSingle', input, now }]);
}

export interface MemberSettingsChanges {
  pinned?: boolean;
  notificationsMuted?: boolean;
  hidden?: boolean;
  markedUnread?: boolean;
}

/** A member's own settings of a conversation. */
export interface MemberSettings {
  pinnedAt: number | null;
  notificationsMuted: boolean;
  /** Hidden while no event is newer than this seq. */
  hiddenSeq: number | null;
  markedUnread: boolean;
}

/** The member's settings now, and the newest seq they can see; null if they never belonged. */
export interface MemberSettingsSnapshot {
  settings: MemberSettings;
  visibleSeq: number;
}

/** Writes the member's settings, and makes the conversation part of their next sync. */
export type MemberSettingsWrite = { kind: 'saveSettings'; settings: MemberSettings };

/** Pinning keeps the first pin's time; hiding lasts until an event newer than what the member sees now. */
export function decideMemberSettings(
  snapshot: MemberSettingsSnapshot | null,
  changes: MemberSettingsChanges,
  now: number,
): Decision<MemberSettingsWrite> {
  if (!snapshot) return refuse('not_found', 'no such conversation');
  const current = snapshot.settings;
  const pinnedAt =
    changes.pinned === undefined ? current.pinnedAt : changes.pinned ? (current.pinnedAt ?? now) : null;
  const hiddenSeq =
    changes.hidden === undefined ? current.hiddenSeq : changes.hidden ? snapshot.visibleSeq : null;
  const settings: MemberSettings = {
    pinnedAt,
    notificationsMuted: changes.notificationsMuted ?? current.notificationsMuted,
    hiddenSeq,
    markedUnread: changes.markedUnread ?? current.markedUnread,
  };
  return allow([{ kind: 'saveSettings', settings }]);
}
