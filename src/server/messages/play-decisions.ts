/**
 * The rules of played voice messages. A member who starts playing someone else's voice
 * message has played it, once and for good: the play is a fact about that member, not a
 * timeline event, so it takes no seq and reaches only the player's devices and the sender's.
 */
import type { Message } from '../../protocol/index.js';
import { allow, refuse, type Decision } from '../decision.js';

export interface PlayInput {
  conversationId: string;
  /** Who played it; must be an active member. */
  actorId: string;
  /** The voice message's seq. */
  seq: number;
  playedAt: number;
}

/** What the rules of a play need to see. */
export interface PlaySnapshot {
  actorActive: boolean;
  /** The entry at the command's seq. */
  target: Message | null;
  /** The actor's play of it is recorded already. */
  alreadyPlayed: boolean;
  /** Members other than the sender who have played it, before this command. */
  playedCount: number;
}

export type PlayWrite = { kind: 'recordPlay' };

export interface PlayOutcome {
  /** Whether this command recorded the play. */
  changed: boolean;
  /** The voice message's sender, who hears of a new play. */
  senderId: string;
  /** Members other than the sender who have played it, after this command. */
  playedCount: number;
}

/**
 * Refusals, in this order: `not_found` (no such entry, or an actor who is not an active
 * member), `invalid_payload` on `seq` (the entry is not a voice message: another kind of
 * message, a recalled one, a timeline event). The sender's own message, or one the actor
 * played before, changes nothing and succeeds.
 */
export function decidePlay(snapshot: PlaySnapshot, input: PlayInput): Decision<PlayWrite, PlayOutcome> {
  const { target } = snapshot;
  if (!target || !snapshot.actorActive) return refuse('not_found', 'no such message');
  if (target.body.type !== 'voice') {
    return refuse('invalid_payload', 'only voice messages are played', {
      issues: [{ path: 'seq', message: 'is not a voice message' }],
    });
  }
  const unchanged = { changed: false, senderId: target.senderId, playedCount: snapshot.playedCount };
  if (target.senderId === input.actorId || snapshot.alreadyPlayed) return allow([], unchanged);
  return allow<PlayWrite, PlayOutcome>([{ kind: 'recordPlay' }], {
    changed: true,
    senderId: target.senderId,
    playedCount: snapshot.playedCount + 1,
  });
}
