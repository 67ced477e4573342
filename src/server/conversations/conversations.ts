import type { Conversation, User } from '../../protocol/index.js';
import { singleConversationId } from '../conversation-id.js';
import { unreachable } from '../accounts/block-decisions.js';
import type { Blocks } from '../accounts/blocks.js';
import type { DomainDeps } from '../domain/deps.js';
import { refuseVisitors } from '../support/visitor-boundary.js';
import { CommandError } from '../errors.js';
import type { ConversationChanges, ConversationRecord } from '../storage/conversations/contract.js';
import type { MemberSettingsChanges } from './decisions.js';
import { unreadOf, type UnreadSummary } from './unread.js';

/**
 * Conversations as such, for socket commands and the admin API: single chats, what a
 * member sees of a conversation, what changed since their last sync, their own settings.
 */
export class Conversations {
  constructor(
    private readonly deps: DomainDeps,
    private readonly blocks: Blocks,
  ) {}

  /**
   * The single chat between two users, made on first use; both follow it live from then on.
   * While a block stands between them no new one is made (`recipient_unavailable`); one
   * that exists still opens, with its history.
   */
  async startSingle(userId: string, peerId: string): Promise<{ record: ConversationRecord; peer: User }> {
    const { storage, membership, clock, fanOut } = this.deps;
    if (userId === peerId) {
      throw new CommandError('invalid_payload', 'a single chat needs another person', {
        issues: [{ path: 'userId', message: 'must not be your own id' }],
      });
    }
    await refuseVisitors(storage, [userId, peerId]);
    const [peer] = await storage.accounts.read.users([peerId]);
    if (!peer) throw new CommandError('not_found', 'no user with this id');
    if (peer.deleted) throw new CommandError('user_deleted', 'this user was deleted');
    const id = singleConversationId(userId, peer.id);
    const blocked = await this.blocks.between(userId, peer.id);
    if (blocked && !(await storage.conversations.read.get(id))) throw unreachable();
    const record = await storage.conversations.write.ensureSingle({
      id,
      memberIds: [userId, peer.id],
      createdBy: userId,
      now: clock.now(),
    });
    membership.remember(id, {
      type: 'single',
      dismissed: false,
      mutedAll: false,
      blocked,
      members: record.memberIds.map((memberId) => ({ userId: memberId, role: 'member', muted: false })),
    });
    fanOut.conversationStarted(id, [userId, peer.id]);
    return { record, peer };
  }

  /** The conversation as the user sees it; `not_found` if they never belonged to it. */
  async view(conversationId: string, userId: string): Promise<Conversation> {
    const conversation = await this.deps.storage.conversations.read.view(conversationId, userId);
    if (!conversation) throw new CommandError('not_found', 'no such conversation');
    return conversation;
  }

  /** What changed for the user since `cursor` (see ConversationReads.changes). */
  changes(userId: string, cursor: string | null, limit: number): Promise<ConversationChanges> {
    return this.deps.storage.conversations.read.changes(userId, cursor, limit);
  }

  /** The user's unread messages, per conversation (see unreadOf). */
  unread(userId: string): Promise<UnreadSummary> {
    return unreadOf(this.deps.storage, userId);
  }

  /** The member's own settings; a former member may still change theirs. */
  async updateSettings(conversationId: string, userId: string, changes: MemberSettingsChanges): Promise<Conversation> {
    const { storage, membership, clock } = this.deps;
    await membership.requireReader(conversationId, userId);
    return storage.conversations.write.updateSettings(conversationId, userId, changes, clock.now());
  }
}
