/**
 * The rows of a message list, derived from the cache's timeline entries: day separators,
 * the "new messages" divider and sender groups become rows and flags here, so that the
 * virtualized list only lays out a flat array and each row renders on its own.
 */
import type { TimelineEntry } from '../../client/index.js';
import { isChangeEvent } from '../../protocol/index.js';
import { isSameDay } from '../i18n/index.js';

/** Consecutive messages of one sender closer than this share a group. */
const groupGapMs = 5 * 60_000;

/** An entry that is shown: edits and recalls are applied to their targets by the cache. */
export type ShownEntry = TimelineEntry & { body: Exclude<TimelineEntry['body'], { type: 'edit' | 'recall' }> };

export type TimelineRow =
  | { kind: 'beginning'; key: string }
  | { kind: 'day'; key: string; at: number }
  | { kind: 'unread'; key: string }
  | {
      kind: 'entry';
      key: string;
      entry: ShownEntry;
      /** First and last of a run of messages from one sender (avatars, names, corners). */
      groupStart: boolean;
      groupEnd: boolean;
    };

export interface RowOptions {
  /** The window starts at the conversation's first seq: say so above the first row. */
  atBeginning: boolean;
  /** Put the "new messages" divider above this seq (the first unread when opened). */
  firstUnreadSeq: number | null;
  /** Leave out unsent entries (the window does not reach the newest messages). */
  withOutbox: boolean;
}

export const unreadDividerKey = 'unread-divider';

export function isShown(entry: TimelineEntry): entry is ShownEntry {
  return !isChangeEvent(entry.body);
}

/** One pass over the entries, in order; O(n) with no allocation per entry beyond its row. */
export function buildRows(entries: readonly TimelineEntry[], options: RowOptions): TimelineRow[] {
  const shown = entries.filter(
    (entry): entry is ShownEntry => isShown(entry) && (options.withOutbox || entry.seq !== null),
  );
  const rows: TimelineRow[] = [];
  if (options.atBeginning && shown.length > 0) rows.push({ kind: 'beginning', key: 'beginning' });
  let dividerPlaced = options.firstUnreadSeq === null;
  let previous: ShownEntry | undefined;
  let previousRow: Extract<TimelineRow, { kind: 'entry' }> | undefined;
  for (const entry of shown) {
    const newDay = !previous || !isSameDay(previous.createdAt, entry.createdAt);
    if (newDay) rows.push({ kind: 'day', key: `day/${entry.key}`, at: entry.createdAt });
    const divider = !dividerPlaced && entry.seq !== null && entry.seq >= options.firstUnreadSeq!;
    if (divider) {
      dividerPlaced = true;
      rows.push({ kind: 'unread', key: unreadDividerKey });
    }
    const groupStart = newDay || divider || !continues(previous, entry);
    if (previousRow && groupStart) previousRow.groupEnd = true;
    previousRow = { kind: 'entry', key: entry.key, entry, groupStart, groupEnd: false };
    rows.push(previousRow);
    previous = entry;
  }
  if (previousRow) previousRow.groupEnd = true;
  return rows;
}

function continues(a: ShownEntry | undefined, b: ShownEntry): boolean {
  return (
    !!a &&
    a.body.type !== 'system' &&
    b.body.type !== 'system' &&
    a.senderId === b.senderId &&
    Math.abs(b.createdAt - a.createdAt) < groupGapMs
  );
}
