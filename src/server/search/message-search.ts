/** `message:search`: the command API over the search area of storage. */
import type { User } from '../../protocol/index.js';
import type { MembershipCache } from '../membership.js';
import type { MessageSearchPage, MessageSearchQuery } from '../storage/search/contract.js';
import type { Storage } from '../storage/storage.js';

export class MessageSearch {
  constructor(
    private readonly deps: { storage: Pick<Storage, 'search' | 'accounts'>; membership: MembershipCache },
  ) {}

  /**
   * A page of what `userId` may read that contains the query, with its senders. One
   * conversation only if they are or were in it (`not_found` otherwise).
   */
  async search(userId: string, query: MessageSearchQuery): Promise<MessageSearchPage & { users: User[] }> {
    const { storage, membership } = this.deps;
    if (query.conversationId !== undefined) await membership.requireReader(query.conversationId, userId);
    const page = await storage.search.read.messages(userId, query);
    const senderIds = new Set(page.messages.map((message) => message.senderId));
    return { ...page, users: await storage.accounts.read.users([...senderIds]) };
  }
}
