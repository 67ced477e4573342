import { randomUUID } from 'node:crypto';
import { unreadOf } from '../conversations/unread.js';
import type { Storage } from '../storage/storage.js';
import type { Webhooks } from './webhooks.js';

/**
 * `user.offline_with_unread`: the user's last connection ended while messages waited for
 * them (the host may e-mail them). Counted only when an endpoint wants the event.
 */
export async function announceOfflineWithUnread(
  deps: { webhooks: Webhooks; storage: Storage },
  userId: string,
  lastSeenAt: number,
): Promise<void> {
  if (!deps.webhooks.wants('user.offline_with_unread')) return;
  const unread = await unreadOf(deps.storage, userId);
  if (unread.total === 0) return;
  await deps.webhooks.emit({
    id: `evt_${randomUUID()}`,
    type: 'user.offline_with_unread',
    orderKey: `user:${userId}`,
    data: { userId, lastSeenAt, unread },
  });
}
