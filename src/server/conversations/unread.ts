import type { Storage } from '../storage/storage.js';

export interface UnreadConversation {
  conversationId: string;
  type: 'single' | 'group' | 'support';
  unreadCount: number;
  /** The user muted its notifications: not in `total`. */
  notificationsMuted: boolean;
  /** A message mentions the user (or everyone) since they last read it. */
  mentioned: boolean;
  markedUnread: boolean;
}

export interface UnreadSummary {
  /** Unread messages in conversations whose notifications are not muted (the widget's badge). */
  total: number;
  /** Conversations with unread messages or marked unread, newest activity first. */
  conversations: UnreadConversation[];
}

const pageSize = 500;

/**
 * A user's unread counts, derived like everything unread: messages from others after the
 * member's read position, as their conversation summaries say. Former members' groups
 * are left out.
 */
export async function unreadOf(storage: Storage, userId: string): Promise<UnreadSummary> {
  const found: (UnreadConversation & { updatedAt: number })[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await storage.conversations.read.changes(userId, cursor, pageSize);
    for (const conversation of page.conversations) {
      if (conversation.type === 'group' && conversation.membership !== 'active') continue;
      if (conversation.unreadCount === 0 && !conversation.markedUnread) continue;
      found.push({
        conversationId: conversation.id,
        type: conversation.type,
        unreadCount: conversation.unreadCount,
        notificationsMuted: conversation.notificationsMuted,
        mentioned: conversation.type === 'group' && conversation.mentionSeq > conversation.readSeq,
        markedUnread: conversation.markedUnread,
        updatedAt: conversation.updatedAt,
      });
    }
    if (!page.hasMore) break;
    cursor = page.cursor;
  }
  found.sort((a, b) => b.updatedAt - a.updatedAt);
  const total = found.reduce((sum, entry) => sum + (entry.notificationsMuted ? 0 : entry.unreadCount), 0);
  return { total, conversations: found.map(({ updatedAt: _updatedAt, ...entry }) => entry) };
}
