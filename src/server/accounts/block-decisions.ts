/**
 * The rules of blocking between users: a user blocks anyone but themselves, up to
 * `limits.blockedUsersMax` people; blocking again (or unblocking someone not blocked)
 * changes nothing. While a block stands, either way, the two cannot reach each other
 * directly: the refusal is the same for both, so the blocked person learns nothing.
 */
import { limits } from '../../protocol/limits.js';
import { allow, refuse, type Decision } from '../decision.js';
import { CommandError } from '../errors.js';

/** What storage loads for a block or an unblock, in the transaction that applies it. */
export interface BlockSnapshot {
  targetExists: boolean;
  /** When the blocker blocked the target; null if they did not. */
  blockedAt: number | null;
  /** How many people the blocker has blocked. */
  blockedCount: number;
}

export type BlockWrite =
  | { kind: 'block'; blockerId: string; userId: string; at: number }
  | { kind: 'unblock'; blockerId: string; userId: string };

/** What the change did: `changed` false when it changed nothing. */
export interface BlockOutcome {
  changed: boolean;
  /** When the block began; null once unblocked. */
  blockedAt: number | null;
}

export function decideUserBlock(
  snapshot: BlockSnapshot,
  command: { blockerId: string; userId: string; blocked: boolean },
  now: number,
): Decision<BlockWrite, BlockOutcome> {
  const { blockerId, userId, blocked } = command;
  if (blockerId === userId) {
    return refuse('invalid_payload', 'you cannot block yourself', { issues: [{ path: 'userId', message: 'is your own id' }] });
  }
  if (!snapshot.targetExists) return refuse('not_found', 'no user with this id');
  if (blocked) {
    if (snapshot.blockedAt !== null) return allow([], { changed: false, blockedAt: snapshot.blockedAt });
    if (snapshot.blockedCount >= limits.blockedUsersMax) {
      return refuse('forbidden', `you can block at most ${limits.blockedUsersMax} people: unblock someone first`);
    }
    return allow([{ kind: 'block', blockerId, userId, at: now }], { changed: true, blockedAt: now });
  }
  if (snapshot.blockedAt === null) return allow([], { changed: false, blockedAt: null });
  return allow([{ kind: 'unblock', blockerId, userId }], { changed: true, blockedAt: null });
}

/** The one refusal for anything a block stops, whichever of the two blocked the other. */
export function unreachable(): CommandError {
  return new CommandError('recipient_unavailable', 'this person cannot receive this from you');
}

/** Refuses when any of `blockedWith` (users with a block either way with the caller) is among `userIds`. */
export function refuseBlocked(userIds: readonly string[], blockedWith: ReadonlySet<string>): CommandError | null {
  return userIds.some((id) => blockedWith.has(id)) ? unreachable() : null;
}
