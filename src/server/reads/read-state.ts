import { limits, type Receipt } from '../../protocol/index.js';
import type { DomainDeps } from '../domain/deps.js';
import { CommandError } from '../errors.js';
import type { CachedConversation } from '../membership.js';
import type { ReadersCount } from '../storage/reads/contract.js';
import type { DeliveryMark, ReadMark } from './decisions.js';

/** Live read positions cost a message per member per read: only small conversations share them. */
export function sharesReceipts(conversation: CachedConversation): boolean {
  return conversation.type === 'single' || conversation.memberCount <= limits.receiptsMembersMax;
}

/**
 * How far members got (read and delivered positions), for socket commands: who may mark
 * and see what is decided here, how positions move in reads/decisions.ts.
 */
export class ReadState {
  constructor(private readonly deps: Pick<DomainDeps, 'storage' | 'membership'>) {}

  /** A former member may still mark what they can read. */
  async markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark> {
    await this.deps.membership.requireReader(conversationId, userId);
    return this.deps.storage.reads.write.markRead(conversationId, userId, seq);
  }

  /** Active members only; `conversation` is what the caller shares the receipt with. */
  async markDelivered(
    conversationId: string,
    userId: string,
    seq: number,
  ): Promise<DeliveryMark & { conversation: CachedConversation }> {
    const { conversation } = await this.deps.membership.requireMember(conversationId, userId);
    return { ...(await this.deps.storage.reads.write.markDelivered(conversationId, userId, seq)), conversation };
  }

  /** Every active member's positions, in conversations small enough to share them. */
  async receipts(conversationId: string, userId: string): Promise<Receipt[]> {
    const { conversation } = await this.deps.membership.requireMember(conversationId, userId);
    if (!sharesReceipts(conversation)) return [];
    return this.deps.storage.reads.read.receipts(conversationId);
  }

  /** Who of the message's audience has read it. */
  async readers(conversationId: string, userId: string, input: { seq: number; limit: number }): Promise<ReadersCount> {
    const { storage, membership } = this.deps;
    await membership.requireMember(conversationId, userId);
    const message = await storage.messages.read.at(conversationId, input.seq);
    if (!message) throw new CommandError('not_found', 'no such message');
    return storage.reads.read.readers(conversationId, { ...input, senderId: message.senderId });
  }
}
