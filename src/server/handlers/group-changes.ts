import type {
  Conversation,
  GroupConversation,
  GroupResult,
  Message,
  User,
} from '../../protocol/index.js';
import type { MembershipCache } from '../membership.js';
import type { GroupChange } from '../storage/group-storage.js';
import type { Storage } from '../storage/storage.js';
import { conversationRoom, userRoom, type ImServer } from '../types.js';

/**
 * After a group change has committed: the cache learns it, newcomers' connections join
 * the room BEFORE the events go out (so they receive them), every connection in the room
 * gets the events (the actor's too: the command's ack carries the conversation, not the
 * event), and those who are out leave the room AFTER them, on all their tabs at once.
 */
export function publishGroupChange(
  io: ImServer,
  membership: MembershipCache,
  change: GroupChange,
): void {
  membership.apply(change);
  const room = conversationRoom(change.conversationId);
  const inside = change.members.filter((member) => member.state === 'active');
  const outside = change.members.filter((member) => member.state !== 'active');
  if (inside.length > 0) io.in(inside.map((member) => userRoom(member.userId))).socketsJoin(room);
  for (const event of change.events) io.to(room).emit('message:new', event);
  if (outside.length > 0) {
    io.in(outside.map((member) => userRoom(member.userId))).socketsLeave(room);
  }
}

export async function groupView(
  storage: Storage,
  conversationId: string,
  userId: string,
): Promise<GroupConversation> {
  const conversation = await storage.getConversationView(conversationId, userId);
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
  return { conversation, users: [caller, ...(await storage.getUsers([...ids]))] };
}
