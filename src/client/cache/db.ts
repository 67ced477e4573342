import Dexie, { type EntityTable } from 'dexie';
import type { Conversation, Message, MessageBody, ProtocolError, User } from '../../protocol/index.js';

/** A conversation as cached: the server's view plus what the client needs to derive unread. */
export type CachedConversation = Conversation & {
  /** The lastSeq at which the server counted `unreadCount`. */
  unreadAsOfSeq: number;
  /** The readSeq the server has confirmed; a higher local readSeq still has to be sent. */
  serverReadSeq: number;
};

export type OutboxStatus = 'pending' | 'failed';

/** A message the user wrote that the server has not acknowledged yet. */
export interface OutboxEntry {
  /** Auto-incremented: the order in which messages were written, and are sent. */
  order?: number;
  clientId: string;
  conversationId: string;
  senderId: string;
  body: MessageBody;
  /** Local clock, for display only. */
  createdAt: number;
  status: OutboxStatus;
  /** Send attempts that reached the server and were not acknowledged. */
  attempts: number;
  /** Why the last attempt failed. */
  error: ProtocolError | null;
}

interface StateEntry {
  key: string;
  value: unknown;
}

/**
 * The cache of one user on one server. The network writes here; the UI reads from here.
 * Everything in it can be rebuilt from the server except the outbox.
 */
export class CacheDb extends Dexie {
  declare conversations: EntityTable<CachedConversation, 'id'>;
  declare messages: EntityTable<Message, 'id'>;
  declare outbox: EntityTable<OutboxEntry, 'order'>;
  declare users: EntityTable<User, 'id'>;
  declare state: EntityTable<StateEntry, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({
      conversations: 'id, updatedAt',
      messages: 'id, &[conversationId+seq]',
      outbox: '++order, &clientId, conversationId',
      users: 'id',
      state: 'key',
    });
    // Another tab upgraded the schema: step aside quietly and reopen on next use,
    // never reload the host's page.
    this.on('versionchange', () => {
      this.close({ disableAutoOpen: false });
      return false;
    });
  }

  async getState<T>(key: string): Promise<T | undefined> {
    return (await this.state.get(key))?.value as T | undefined;
  }

  async setState(key: string, value: unknown): Promise<void> {
    await this.state.put({ key, value });
  }
}

/** One database per server origin and user, so accounts and servers never mix. */
export function cacheDbName(serverOrigin: string, userId: string): string {
  return `im-chat:${serverOrigin}:${userId}`;
}
