import type { MemberSettings, MemberSettingsSnapshot } from '../../conversations/decisions.js';
import { visibleSeq } from './view-sql.js';

/** A member's settings as both backends store them (flags as 0/1), and what they can see. */
export interface SettingsRow {
  pinned_at: number | null;
  notifications_muted: number;
  hidden_seq: number | null;
  marked_unread: number;
  visible_seq: number;
}

/** Selects a `SettingsRow`; filter with `m.` (the member). */
export const settingsSelect = `
  SELECT m.pinned_at, m.notifications_muted, m.hidden_seq, m.marked_unread, ${visibleSeq} AS visible_seq
  FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id`;

export function toSettingsSnapshot(row: SettingsRow | undefined): MemberSettingsSnapshot | null {
  if (!row) return null;
  const settings: MemberSettings = {
    pinnedAt: row.pinned_at,
    notificationsMuted: row.notifications_muted === 1,
    hiddenSeq: row.hidden_seq,
    markedUnread: row.marked_unread === 1,
  };
  return { settings, visibleSeq: row.visible_seq };
}

/** The columns to write, in the order of `[pinned_at, notifications_muted, hidden_seq, marked_unread]`. */
export function settingsColumns(settings: MemberSettings): [number | null, number, number | null, number] {
  return [settings.pinnedAt, settings.notificationsMuted ? 1 : 0, settings.hiddenSeq, settings.markedUnread ? 1 : 0];
}
