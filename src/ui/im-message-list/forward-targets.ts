import type { ChatClient } from '../../client/index.js';
import { conversationTitle, type NameOf } from '../describe.js';
import type { MenuItem } from '../im-menu/im-menu.js';

/** How many recent conversations "Forward to…" offers. */
const offered = 8;

/**
 * The conversations "Forward to…" offers, as menu items whose ids are conversation ids: the
 * most recent ones the user can still write in, other than the one forwarded from. One
 * message's menu and the selection bar offer the same list.
 */
export async function forwardTargets(client: ChatClient, fromConversationId: string, nameOf: NameOf): Promise<MenuItem[]> {
  const list = (await client.cache?.conversationList()) ?? [];
  return list
    .filter(
      (candidate) =>
        candidate.id !== fromConversationId && !(candidate.type === 'group' && candidate.membership !== 'active'),
    )
    .slice(0, offered)
    .map((candidate) => ({ id: candidate.id, label: conversationTitle(candidate, nameOf) }));
}
