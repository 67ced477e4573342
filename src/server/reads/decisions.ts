/**
 * How far a member got: read and delivered positions only move forward, never past what
 * the member can see (a former member's ends at the event that ended their membership),
 * and reading is receiving too.
 */
import { allow, refuse, type Decision } from '../decision.js';

/** A member's positions in a conversation; null when they never belonged to it. */
export interface ReadPosition {
  readSeq: number;
  deliveredSeq: number;
  /** The newest seq the member can see. */
  visibleSeq: number;
  markedUnread: boolean;
}

export interface ReadMark {
  readSeq: number;
  /** Reading implies delivery: at least readSeq. */
  deliveredSeq: number;
  changed: boolean;
}

export interface DeliveryMark {
  deliveredSeq: number;
  readSeq: number;
  changed: boolean;
}

export type ReadWrite =
  /** Also clears "marked unread", and changes the conversation for the member's next sync. */
  | { kind: 'setRead'; readSeq: number }
  | { kind: 'setDelivered'; deliveredSeq: number };

/** readSeq := max(readSeq, min(seq, visibleSeq)); reading clears "marked unread" even with nothing new. */
export function decideRead(position: ReadPosition | null, seq: number): Decision<ReadWrite, ReadMark> {
  if (!position) return refuse('not_found', 'no such conversation member');
  const readSeq = Math.max(Math.min(seq, position.visibleSeq), position.readSeq);
  const deliveredSeq = Math.max(position.deliveredSeq, readSeq);
  if (readSeq === position.readSeq && !position.markedUnread) {
    return allow([], { readSeq, deliveredSeq, changed: false });
  }
  return allow([{ kind: 'setRead', readSeq }], { readSeq, deliveredSeq, changed: true });
}

/** deliveredSeq := max(deliveredSeq, min(seq, visibleSeq)). */
export function decideDelivered(position: ReadPosition | null, seq: number): Decision<ReadWrite, DeliveryMark> {
  if (!position) return refuse('not_found', 'no such conversation member');
  const target = Math.min(seq, position.visibleSeq);
  if (target <= position.deliveredSeq) {
    return allow([], { deliveredSeq: position.deliveredSeq, readSeq: position.readSeq, changed: false });
  }
  return allow([{ kind: 'setDelivered', deliveredSeq: target }], {
    deliveredSeq: target,
    readSeq: position.readSeq,
    changed: true,
  });
}
