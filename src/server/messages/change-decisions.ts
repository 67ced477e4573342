/**
 * The rules of recall and edit. Each is a timeline event of its own (with the next seq)
 * and rewrites its target in the same transaction: a recalled body, or the new text and
 * when it was edited.
 */
import { randomUUID } from 'node:crypto';
import { isMessageBody, type Message, type MessageBody, type TextBody } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';
import { mentionWrites, type TimelineWrite } from './append-decision.js';

/** A recall or an edit, as the command API asks for it once it has authorized the actor. */
export interface MessageChangeInput {
  conversationId: string;
  /** Who acts; must be an active member. */
  actorId: string;
  /** The event's idempotency key (unique per actor, like a message's). */
  clientId: string;
  /** The target message's seq. */
  seq: number;
  createdAt: number;
  change:
    | {
        type: 'recall';
        /** A group owner or admin: may recall anyone's message at any time. */
        privileged: boolean;
        /** The sender's own recall must come within this long of sending. */
        windowMs: number;
        /**
         * The host removes the message through the admin API: the actor is its sender,
         * who need not be a member any more; no window applies. Both the event and the
         * recalled body say `moderated`.
         */
        moderated?: boolean;
      }
    | { type: 'edit'; text: TextBody };
}

export interface MessageChangeResult {
  event: Message;
  /** The target as it is after the change (or now, for a duplicate). */
  target: Message;
  /** The (actorId, clientId) pair was used before: nothing changed now. */
  duplicate: boolean;
}

/** What the rules of a change need to see. */
export interface MessageChangeSnapshot {
  /** The event this actor stored with this clientId before, and its target as it is now. */
  stored: { event: Message; target: Message } | null;
  /** null: there is no such conversation. */
  conversation: { dismissed: boolean } | null;
  actorActive: boolean;
  /** The message at the command's seq. */
  target: Message | null;
}

/** A duplicate is answered as it was; a new event's seq is known once it is stored. */
export type MessageChangeOutcome = { duplicate: true; event: Message; target: Message } | { duplicate: false };

/**
 * Refusals, in this order: `not_found` (no such message, or an actor who is not an
 * active member, or for a moderated recall not its sender), `forbidden` (a system event
 * or another person's message), `not_editable` (recalled already, or not text),
 * `recall_window_passed`, then `group_dismissed`.
 */
export function decideMessageChange(
  snapshot: MessageChangeSnapshot,
  input: MessageChangeInput,
  now: number,
): Decision<TimelineWrite, MessageChangeOutcome> {
  if (snapshot.stored) return allow([], { duplicate: true, ...snapshot.stored });
  const { target } = snapshot;
  const moderated = isModerated(input);
  const mayAct = moderated ? target?.senderId === input.actorId : snapshot.actorActive;
  if (!target || !mayAct) return refuse('not_found', 'no such message');
  const refusal = ruleRefusal(target, input, now);
  if (refusal) return refusal;
  if (snapshot.conversation?.dismissed) return refuse('group_dismissed', 'the group was dismissed');

  const { change } = input;
  const eventBody: MessageBody =
    change.type === 'recall'
      ? { type: 'recall', targetSeq: input.seq, ...(moderated ? { moderated: true as const } : {}) }
      : { type: 'edit', targetSeq: input.seq, text: change.text };
  const entry = {
    id: randomUUID(),
    conversationId: input.conversationId,
    senderId: input.actorId,
    clientId: input.clientId,
    body: eventBody,
    createdAt: now,
  };
  const writes: TimelineWrite[] = [{ kind: 'appendEntry', entry }];
  if (change.type === 'recall') {
    const recalled: MessageBody = { type: 'recalled', by: input.actorId, ...(moderated ? { moderated: true as const } : {}) };
    writes.push({ kind: 'rewriteMessage', seq: input.seq, body: recalled, editedAt: null });
    // A recalled message keeps nothing of its content, its reactions included.
    if (target.reactions) writes.push({ kind: 'setReactions', seq: input.seq, items: null });
  } else {
    writes.push({ kind: 'rewriteMessage', seq: input.seq, body: change.text, editedAt: now });
    writes.push(...mentionWrites(change.text, input.seq));
  }
  return allow(writes, { duplicate: false });
}

function isModerated(input: MessageChangeInput): boolean {
  return input.change.type === 'recall' && input.change.moderated === true;
}

function ruleRefusal(target: Message, input: MessageChangeInput, now: number): Decision<never, never> | null {
  const { change, actorId } = input;
  if (!isMessageBody(target.body)) {
    return refuse('forbidden', 'only messages can be recalled or edited, not events');
  }
  const own = target.senderId === actorId;
  if (change.type === 'recall') {
    if (target.body.type === 'recalled') return refuse('not_editable', 'the message was already recalled');
    if (change.privileged || isModerated(input)) return null;
    if (!own) return refuse('forbidden', "only the sender or a group's admins may recall it");
    if (now - target.createdAt > change.windowMs) {
      const minutes = Math.round(change.windowMs / 60_000);
      return refuse('recall_window_passed', `messages can be recalled within ${minutes} minutes of sending`);
    }
    return null;
  }
  if (!own) return refuse('forbidden', 'only the sender may edit a message');
  if (target.body.type !== 'text') return refuse('not_editable', 'only text messages can be edited');
  return null;
}
