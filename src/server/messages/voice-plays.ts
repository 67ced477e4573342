import type { PlayedResult, PlayersResult } from '../../protocol/index.js';
import type { DomainDeps } from '../domain/deps.js';
import { CommandError } from '../errors.js';
import type { ImSocket } from '../types.js';

/**
 * Played voice messages, for socket commands: recording a member's play (play-decisions.ts
 * holds the rules) and telling only those it concerns, the player's devices and the
 * sender's, so that a play costs two deliveries whatever the size of the group.
 */
export class VoicePlays {
  constructor(private readonly deps: Pick<DomainDeps, 'storage' | 'membership' | 'clock' | 'fanOut'>) {}

  /** Active members only; `from` is the connection that played it (its ack tells it). */
  async played(conversationId: string, userId: string, seq: number, from?: ImSocket): Promise<PlayedResult> {
    const { storage, membership, clock, fanOut } = this.deps;
    const { conversation } = await membership.requireMember(conversationId, userId);
    const playedAt = clock.now();
    const outcome = await storage.messages.write.play({ conversationId, actorId: userId, seq, playedAt });
    if (outcome.changed) {
      fanOut.voicePlayed(
        { conversationId, seq, userId, playedCount: outcome.playedCount, playedAt },
        // Across a block, as with read receipts, the sender does not hear of it live.
        conversation.blocked ? null : outcome.senderId,
        from,
      );
    }
    return { changed: outcome.changed };
  }

  /** Who has played the caller's own voice message: the sender's business only. */
  async players(conversationId: string, userId: string, input: { seq: number; limit: number }): Promise<PlayersResult> {
    const { storage, membership } = this.deps;
    const maxSeq = await membership.requireReader(conversationId, userId);
    const message = input.seq <= (maxSeq ?? Infinity) ? await storage.messages.read.at(conversationId, input.seq) : null;
    if (!message) throw new CommandError('not_found', 'no such message');
    if (message.body.type !== 'voice') {
      throw new CommandError('invalid_payload', 'only voice messages are played', {
        issues: [{ path: 'seq', message: 'is not a voice message' }],
      });
    }
    if (message.senderId !== userId) throw new CommandError('forbidden', 'only its sender sees who played a voice message');
    const { playedCount, players } = await storage.messages.read.players(conversationId, input.seq, input.limit);
    const users = await storage.accounts.read.users(players.map((player) => player.userId));
    return { playedCount, players, users };
  }
}
