import type { Clock } from './clock.js';
import type { Connection } from './connection.js';
import { showsDelivery, type ConversationActions } from './conversation-actions.js';
import { ChatError, LocalErrorCode } from './errors.js';
import type { UserStores } from './user-stores.js';

export interface CatchUpOptions {
  /** The signed-in user's cache and synchronizer (none while no user is known). */
  stores: Pick<UserStores, 'cache' | 'sync'>;
  connection: Connection;
  conversations: ConversationActions;
  /** Reads the user's block list again (blocks are not timeline events). */
  refreshBlocks: () => Promise<unknown>;
  clock: Clock;
  /** Catching up (`syncing`) or up to date (`online`). */
  setStatus: (status: 'syncing' | 'online') => void;
  fail: (error: ChatError) => void;
}

/**
 * Catching up with what happened while the client was away: after each session start,
 * and when the server says live delivery missed something. The client is `syncing` until
 * the cache is in step, then `online`; a sync that failed is tried again shortly while
 * still connected. Once caught up, senders learn that their messages arrived and the
 * receipts of the user's own messages are read again.
 */
export class CatchUp {
  constructor(private readonly options: CatchUpOptions) {}

  async run(): Promise<void> {
    const { connection, stores } = this.options;
    const sync = stores.sync;
    if (!sync) return;
    this.options.setStatus('syncing');
    try {
      await sync.sync();
      if (connection.state === 'connected' && stores.sync === sync) this.options.setStatus('online');
      // Best effort: reading the conversations later reports delivery too.
      this.#reportCaughtUp().catch(() => {});
      // Best effort too: the open conversation loads its receipts again when shown.
      this.#refreshReceipts().catch(() => {});
      // And blocks made or lifted on another device while this one was away.
      this.options.refreshBlocks().catch(() => {});
    } catch (error) {
      if (!(error instanceof ChatError) || error.code === LocalErrorCode.Offline) return;
      this.options.fail(error);
      // Try again shortly while still connected; a reconnect syncs anyway.
      this.options.clock.after(2_000, () => {
        if (connection.state === 'connected') void this.run();
      });
    }
  }

  /** Others read (or received) the user's messages while this device was away. */
  async #refreshReceipts(): Promise<void> {
    const cache = this.options.stores.cache;
    if (cache) await this.options.conversations.refreshReceipts(await cache.allConversations());
  }

  /** After catching up, the senders of unread messages (single chats, support) learn that they arrived. */
  async #reportCaughtUp(): Promise<void> {
    const conversations = (await this.options.stores.cache?.allConversations()) ?? [];
    for (const conversation of conversations) {
      if (showsDelivery(conversation) && conversation.lastSeq > conversation.readSeq) {
        await this.options.conversations.reportDelivered(conversation.id, conversation.lastSeq);
      }
    }
  }
}
