import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
  Conversation,
  Member,
  Message,
  ProtocolError,
  Receipt,
  ReplyRef,
  User,
} from '../../protocol/index.js';
import type { ComposedBody } from '../../protocol/bodies.js';
import type { IndexedDbBackend } from './backend.js';

/** A conversation as cached: the server's view plus what the client needs to derive unread. */
export type CachedConversation = Conversation & {
  /** The lastSeq at which the server counted `unreadCount`. */
  unreadAsOfSeq: number;
  /** The readSeq the server has confirmed; a higher local readSeq still has to be sent. */
  serverReadSeq: number;
};

export type OutboxStatus = 'pending' | 'failed';

/**
 * A message as cached. The user's own messages keep when they were written here, which
 * for one queued offline is earlier than the server's `createdAt`.
 */
export type CachedMessage = Message & { writtenAt?: number };

/** A message the user wrote that the server has not acknowledged yet. */
export interface OutboxEntry {
  /** Auto-incremented: the order in which messages were written, and are sent. */
  order?: number;
  clientId: string;
  conversationId: string;
  senderId: string;
  body: ComposedBody;
  /** Local clock, for display only. */
  createdAt: number;
  status: OutboxStatus;
  /** Send attempts that reached the server and were not acknowledged. */
  attempts: number;
  /** Why the last attempt failed. */
  error: ProtocolError | null;
  /** The message this one replies to. */
  replyTo?: ReplyRef;
}

/** A group member as last fetched; cleared when the group's membership changes. */
export type CachedMember = Member & {
  conversationId: string;
  /** Place in the server's order (owner, admins, members, each by name). */
  position: number;
};

/** What the user wrote in a conversation's composer and did not send yet. */
export interface Draft {
  conversationId: string;
  text: string;
  /** Mentioned member ids in `text`. */
  mentions: string[];
  replyTo: ReplyRef | null;
  updatedAt: number;
}

/** A message the user deleted for themselves: it stays hidden on this device. */
export interface HiddenMessage {
  id: string;
  conversationId: string;
}

/** A voice message played on this device that the server has not heard of yet (it was offline). */
export interface UnsentPlay {
  conversationId: string;
  seq: number;
}

/** An image the user has seen, kept for showing offline (see `MediaCache`). */
export interface CachedMedia {
  fileId: string;
  /** The file's bytes and type: not a Blob, which some engines cannot store (WebKitGTK). */
  bytes: ArrayBuffer;
  type: string;
  /** Kept beside the bytes so that eviction need not read them. */
  size: number;
  /** When it was last shown: the least recently used go first. */
  usedAt: number;
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
  declare messages: EntityTable<CachedMessage, 'id'>;
  declare outbox: EntityTable<OutboxEntry, 'order'>;
  declare users: EntityTable<User, 'id'>;
  declare members: Table<CachedMember, [string, string]>;
  declare state: EntityTable<StateEntry, 'key'>;
  declare drafts: EntityTable<Draft, 'conversationId'>;
  declare hiddenMessages: EntityTable<HiddenMessage, 'id'>;
  declare receipts: Table<Receipt, [string, string]>;
  declare media: EntityTable<CachedMedia, 'fileId'>;
  declare unsentPlays: Table<UnsentPlay, [string, number]>;

  /** False when the cache lives in memory only (the page may not use storage). */
  readonly persistent: boolean;

  /** `backend` defaults to the page's IndexedDB. */
  constructor(name: string, backend?: IndexedDbBackend) {
    super(name, backend ? { indexedDB: backend.indexedDB, IDBKeyRange: backend.IDBKeyRange } : {});
    this.persistent = backend?.persistent ?? true;
    this.version(1).stores({
      conversations: 'id, updatedAt',
      messages: 'id, &[conversationId+seq]',
      outbox: '++order, &clientId, conversationId',
      users: 'id',
      state: 'key',
    });
    this.version(2).stores({ members: '[conversationId+userId], conversationId' });
    this.version(3).stores({
      drafts: 'conversationId',
      hiddenMessages: 'id, conversationId',
      receipts: '[conversationId+userId], conversationId',
    });
    // Local search reads messages newest first.
    this.version(4).stores({ messages: 'id, &[conversationId+seq], createdAt' });
    // Images seen, for showing offline.
    this.version(5).stores({ media: 'fileId, usedAt' });
    this.version(6).stores({ unsentPlays: '[conversationId+seq]' });
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
