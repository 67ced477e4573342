import type { ReadPosition } from '../../reads/decisions.js';
import { visibleSeq } from '../conversations/view-sql.js';

/** A member's positions as both backends store them. */
export interface PositionRow {
  read_seq: number;
  delivered_seq: number;
  visible_seq: number;
  marked_unread: number;
}

/** Selects a `PositionRow`; filter with `m.` (the member). */
export const positionSelect = `
  SELECT m.read_seq, m.delivered_seq, ${visibleSeq} AS visible_seq, m.marked_unread
  FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id`;

export function toReadPosition(row: PositionRow | undefined): ReadPosition | null {
  if (!row) return null;
  return {
    readSeq: row.read_seq,
    deliveredSeq: row.delivered_seq,
    visibleSeq: row.visible_seq,
    markedUnread: row.marked_unread === 1,
  };
}
