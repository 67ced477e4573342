import type {
  Conversation,
  GroupConversation,
  GroupResult,
  Message,
  User,
} from '../../protocol/index.js';
import type { Storage } from '../storage/storage.js';

export async function groupView(
  storage: Storage,
  conversationId: string,
  userId: string,
): Promise<GroupConversation> {
  const conversation = await storage.conversations.read.view(conversationId, userId);
  if (conversation?.type !== 'group') {
    throw new Error(`group ${conversationId} has no view for ${userId} after a change`);
  }
  return conversation;
}

/** Whom a client needs profiles of to show these conversations in a list. */
export function shownUserIds(conversations: readonly Conversation[]): string[] {
  const ids = new Set<string>();
  for (const conversation of conversations) {
    if (conversation.type === 'single') ids.add(conversation.peerId);
    if (conversation.type === 'support') {
      if (conversation.assigneeId) ids.add(conversation.assigneeId);
      if (conversation.case) ids.add(conversation.case.customerId);
    }
    if (conversation.lastMessage) messageUserIds(conversation.lastMessage, ids);
  }
  return [...ids];
}

function messageUserIds(message: Message, ids: Set<string>): void {
  ids.add(message.senderId);
  if (message.body.type !== 'system') return;
  const { event } = message.body;
  if ('userId' in event) ids.add(event.userId);
  if ('userIds' in event) for (const id of event.userIds) ids.add(id);
  if ('approvedBy' in event && event.approvedBy !== null) ids.add(event.approvedBy);
}

/** A group command's result: the group as the caller sees it, and the people involved. */
export async function groupResult(
  storage: Storage,
  conversationId: string,
  caller: User,
  involvedIds: readonly string[],
): Promise<GroupResult> {
  const conversation = await groupView(storage, conversationId, caller.id);
  const ids = new Set([...involvedIds, ...shownUserIds([conversation])]);
  ids.delete(caller.id);
  return { conversation, users: [caller, ...(await storage.accounts.read.users([...ids]))] };
}
