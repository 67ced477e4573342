import type { User } from '../../protocol/index.js';
import { singleConversationId } from '../conversation-id.js';
import { CommandError } from '../errors.js';
import type { ConversationRecord } from '../storage/storage.js';
import type { DomainDeps } from './deps.js';
import { refuseVisitors } from '../support/visitor-boundary.js';

/** The single chat between two users, made on first use; both follow it live from then on. */
export async function startSingleConversation(
  deps: DomainDeps,
  userId: string,
  peerId: string,
): Promise<{ record: ConversationRecord; peer: User }> {
  const { storage, membership, clock, fanOut } = deps;
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
  const record = await storage.ensureSingleConversation({
    id,
    memberIds: [userId, peer.id],
    createdBy: userId,
    now: clock.now(),
  });
  membership.remember(id, {
    type: 'single',
    dismissed: false,
    mutedAll: false,
    members: record.memberIds.map((memberId) => ({ userId: memberId, role: 'member', muted: false })),
  });
  fanOut.conversationStarted(id, [userId, peer.id]);
  return { record, peer };
}
