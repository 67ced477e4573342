/**
 * The rules of reactions. Putting an emoji on a message, or taking it back, is a timeline
 * event of its own (with the next seq) that carries the target's reactions as they are
 * after it; the target keeps the same state, so history and catch-up agree with live.
 * Asking for what is already so changes nothing: no event, no seq.
 */
import { randomUUID } from 'node:crypto';
import { isMessageBody, limits, type Message, type Reaction } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';
import { systemClientId } from '../groups/ids.js';
import type { TimelineWrite } from './append-decision.js';

export interface ReactionInput {
  conversationId: string;
  /** Who reacts; must be an active member. */
  actorId: string;
  /** The target message's seq. */
  seq: number;
  /** One emoji, already made canonical by the payload's schema. */
  emoji: string;
  /** Put it on (true) or take it back (false). */
  on: boolean;
  createdAt: number;
}

/** What the rules of a reaction need to see. */
export interface ReactionSnapshot {
  /** null: there is no such conversation. */
  conversation: { dismissed: boolean } | null;
  actorActive: boolean;
  /** The message at the command's seq, with its reactions. */
  target: Message | null;
}

/** Whether the command changed anything (it appended an event). */
export interface ReactionOutcome {
  changed: boolean;
}

/**
 * Refusals, in this order: `not_found` (no such message, or an actor who is not an active
 * member), `forbidden` (a timeline event, not a message), `not_editable` (recalled),
 * `group_dismissed`, then `reaction_limit` (only when putting one on).
 */
export function decideReaction(
  snapshot: ReactionSnapshot,
  input: ReactionInput,
  now: number,
): Decision<TimelineWrite, ReactionOutcome> {
  const { target } = snapshot;
  if (!target || !snapshot.conversation || !snapshot.actorActive) return refuse('not_found', 'no such message');
  if (!isMessageBody(target.body)) return refuse('forbidden', 'only messages can be reacted to, not events');
  if (target.body.type === 'recalled') return refuse('not_editable', 'the message was recalled');
  if (snapshot.conversation.dismissed) return refuse('group_dismissed', 'the group was dismissed');

  const { actorId, emoji, on } = input;
  const items = target.reactions?.items ?? [];
  const current = items.find((item) => item.emoji === emoji);
  if ((current?.userIds.includes(actorId) ?? false) === on) return allow([], { changed: false });
  if (on) {
    const refusal = limitRefusal(items, actorId, current);
    if (refusal) return refusal;
  }
  const next = on ? withReaction(items, emoji, actorId) : withoutReaction(items, emoji, actorId);
  const entry = {
    id: randomUUID(),
    conversationId: input.conversationId,
    senderId: actorId,
    // Reactions are idempotent by state, not by key: the server makes the event's key.
    clientId: systemClientId(),
    body: { type: 'reaction' as const, targetSeq: input.seq, emoji, on, reactions: next },
    createdAt: now,
  };
  return allow<TimelineWrite, ReactionOutcome>(
    [
      { kind: 'appendEntry', entry },
      { kind: 'setReactions', seq: input.seq, items: next },
      // A reaction is no new activity: a conversation someone hid stays hidden.
      { kind: 'keepHidden' },
    ],
    { changed: true },
  );
}

function limitRefusal(items: readonly Reaction[], actorId: string, current: Reaction | undefined): Decision<never, never> | null {
  if (!current && items.length >= limits.reactionEmojiMax) {
    return refuse('reaction_limit', `a message can have at most ${limits.reactionEmojiMax} different reactions`);
  }
  const own = items.filter((item) => item.userIds.includes(actorId)).length;
  if (own >= limits.reactionsPerUserMax) {
    return refuse('reaction_limit', `you can put at most ${limits.reactionsPerUserMax} reactions on one message`);
  }
  return null;
}

/** The emoji gains the actor at the end; a new emoji comes after the others. */
function withReaction(items: readonly Reaction[], emoji: string, actorId: string): Reaction[] {
  if (!items.some((item) => item.emoji === emoji)) return [...items, { emoji, userIds: [actorId] }];
  return items.map((item) => (item.emoji === emoji ? { emoji, userIds: [...item.userIds, actorId] } : item));
}

/** The emoji loses the actor, and goes once nobody has it. */
function withoutReaction(items: readonly Reaction[], emoji: string, actorId: string): Reaction[] {
  return items
    .map((item) => (item.emoji === emoji ? { emoji, userIds: item.userIds.filter((id) => id !== actorId) } : item))
    .filter((item) => item.userIds.length > 0);
}
