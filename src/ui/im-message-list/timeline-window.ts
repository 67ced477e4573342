/** Which seqs of a conversation the message list reads from the cache at a time. */
import type { CachedConversation } from '../../client/index.js';
import { limits } from '../../protocol/index.js';

/** Seqs read per step, from the cache or the server (the server's largest history page). */
export const pageSize = limits.historyPageMax;
/** Seqs loaded on each side of a revealed one. */
export const revealMargin = 40;
/** A seq this far beyond the window (or less) extends it; further away, it gets a window of its own. */
const maxExtend = 300;

/** The seqs the list reads: [start, end], or [start, newest] plus unsent messages when `end` is null. */
export interface TimelineWindow {
  start: number;
  end: number | null;
}

/** The newest page, and whatever is written after it. */
export function liveWindow(conversation: CachedConversation): TimelineWindow {
  return { start: Math.max(1, conversation.lastSeq - pageSize + 1), end: null };
}

/** `window` if it holds `seq`; else the window extended to it, or one of its own around it. */
export function windowWith(window: TimelineWindow, seq: number, lastSeq: number): TimelineWindow {
  const end = window.end ?? lastSeq;
  const upTo = (to: number) => (to >= lastSeq ? null : to);
  if (seq >= window.start && seq <= end) return window;
  if (seq < window.start && window.start - seq <= maxExtend) {
    return { start: Math.max(1, seq - revealMargin), end: window.end };
  }
  if (seq > end && seq - end <= maxExtend) return { start: window.start, end: upTo(seq + revealMargin) };
  return { start: Math.max(1, seq - revealMargin), end: upTo(seq + revealMargin) };
}
