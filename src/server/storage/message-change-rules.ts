/**
 * The rules of recall, edit and member settings, as pure functions over the rows a
 * storage has just read inside its transaction (see message-state-storage.ts).
 */
import { randomUUID } from 'node:crypto';
import type { MessageBody } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import type { MemberSettingsChanges, MessageChangeInput } from './message-state-storage.js';
import { messageTypes, type MessageRow } from './rows.js';

/** The host removes the message through the admin API (see MessageChangeInput). */
export function isModerated(input: MessageChangeInput): boolean {
  return input.change.type === 'recall' && input.change.moderated === true;
}

/**
 * Whether the actor may act on the target at all: an active member, or for a moderated
 * recall its sender, member or not. Otherwise the message is `not_found` to them.
 */
export function actorMayChange(
  target: ChangeTarget | undefined,
  actor: { state: string } | undefined | null,
  input: MessageChangeInput,
): target is ChangeTarget {
  if (!target) return false;
  return isModerated(input) ? target.sender_id === input.actorId : actor?.state === 'active';
}

/** What the rules need of the target message. */
export interface ChangeTarget {
  type: string;
  sender_id: string;
  created_at: number;
}

/**
 * Checks that `input` may change `target` (an actor who is not an active member, or a
 * target that does not exist, is `not_found` before this). Throws the rule's error.
 */
export function requireChangeAllowed(target: ChangeTarget, input: MessageChangeInput): void {
  const { change, actorId } = input;
  if (!messageTypes.has(target.type)) {
    throw new CommandError('forbidden', 'only messages can be recalled or edited, not events');
  }
  const own = target.sender_id === actorId;
  if (change.type === 'recall') {
    if (target.type === 'recalled') {
      throw new CommandError('not_editable', 'the message was already recalled');
    }
    if (change.privileged || isModerated(input)) return;
    if (!own) throw new CommandError('forbidden', "only the sender or a group's admins may recall it");
    if (input.createdAt - target.created_at > change.windowMs) {
      throw new CommandError(
        'recall_window_passed',
        `messages can be recalled within ${Math.round(change.windowMs / 60_000)} minutes of sending`,
      );
    }
    return;
  }
  if (!own) throw new CommandError('forbidden', 'only the sender may edit a message');
  if (target.type !== 'text') {
    throw new CommandError('not_editable', 'only text messages can be edited');
  }
}

/** The timeline event that records the change, stored with `seq`. */
export function changeEvent(input: MessageChangeInput, seq: number): { row: MessageRow; type: 'recall' | 'edit' } {
  const { change } = input;
  const body: MessageBody =
    change.type === 'recall'
      ? { type: 'recall', targetSeq: input.seq, ...(isModerated(input) ? { moderated: true as const } : {}) }
      : { type: 'edit', targetSeq: input.seq, text: change.text };
  const row: MessageRow = {
    id: randomUUID(),
    conversation_id: input.conversationId,
    seq,
    sender_id: input.actorId,
    client_id: input.clientId,
    body: JSON.stringify(body),
    created_at: input.createdAt,
    reply_to: null,
    edited_at: null,
  };
  return { row, type: change.type };
}

/** The target as the change leaves it: its new body and type, and when it was edited. */
export function rewrittenTarget(input: MessageChangeInput): {
  body: string;
  type: 'recalled' | 'text';
  editedAt: number | null;
} {
  const { change } = input;
  if (change.type === 'recall') {
    const body = { type: 'recalled', by: input.actorId, ...(isModerated(input) ? { moderated: true } : {}) };
    return { body: JSON.stringify(body), type: 'recalled', editedAt: null };
  }
  return { body: JSON.stringify(change.text), type: 'text', editedAt: input.createdAt };
}

/** A member's own settings as stored. */
export interface MemberSettingsState {
  pinned_at: number | null;
  notifications_muted: number;
  hidden_seq: number | null;
  marked_unread: number;
  /** The newest seq the member can see. */
  last_seq: number;
}

export interface MemberSettingsValues {
  pinnedAt: number | null;
  notificationsMuted: number;
  hiddenSeq: number | null;
  markedUnread: number;
}

/** The settings after `changes`; hiding lasts until an event newer than `last_seq`. */
export function nextMemberSettings(
  current: MemberSettingsState,
  changes: MemberSettingsChanges,
  now: number,
): MemberSettingsValues {
  const flag = (value: boolean | undefined, previous: number) =>
    value === undefined ? previous : value ? 1 : 0;
  const pinnedAt =
    changes.pinned === undefined ? current.pinned_at : changes.pinned ? (current.pinned_at ?? now) : null;
  const hiddenSeq =
    changes.hidden === undefined ? current.hidden_seq : changes.hidden ? current.last_seq : null;
  return {
    pinnedAt,
    notificationsMuted: flag(changes.notificationsMuted, current.notifications_muted),
    hiddenSeq,
    markedUnread: flag(changes.markedUnread, current.marked_unread),
  };
}

/** readSeq after reading up to `seq`; reading also clears a "marked unread". */
export function readTarget(
  position: { read_seq: number; last_seq: number },
  seq: number,
): number {
  return Math.max(Math.min(seq, position.last_seq), position.read_seq);
}

/** deliveredSeq after receiving up to `seq`, clamped to what the member can see. */
export function deliveryMark(
  member: { read_seq: number; delivered_seq: number; last_seq: number },
  seq: number,
): { deliveredSeq: number; readSeq: number; changed: boolean } {
  const target = Math.min(seq, member.last_seq);
  if (target <= member.delivered_seq) {
    return { deliveredSeq: member.delivered_seq, readSeq: member.read_seq, changed: false };
  }
  return { deliveredSeq: target, readSeq: member.read_seq, changed: true };
}
