import type { Conversation, Message } from '../../protocol/index.js';

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
