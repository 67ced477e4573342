import { isMessageBody, type Message } from '../protocol/index.js';
import type { ChatClientEvents } from './client-events.js';
import type { Connection } from './connection.js';
import { showsDelivery, type ConversationActions } from './conversation-actions.js';
import type { Emitter } from './emitter.js';
import { ChatError } from './errors.js';
import { RecentIds } from './recent-ids.js';
import type { UserStores } from './user-stores.js';

export interface LiveIntakeOptions {
  /** The signed-in user's cache and synchronizer (none while no user is known). */
  stores: Pick<UserStores, 'cache' | 'sync'>;
  conversations: ConversationActions;
  /** The client's listeners. */
  events: Emitter<ChatClientEvents>;
  /** The server says that live delivery to this connection missed messages. */
  catchUp: () => void;
  fail: (error: ChatError) => void;
}

/**
 * Takes what the server pushes while connected into the cache and on to the client's
 * listeners: new messages (told of once, though the server may send one again), read
 * positions from the user's other devices, join requests and their outcomes, and the
 * support team's availability. Listens for as long as the connection lives.
 */
export function takeLiveEvents(connection: Connection, options: LiveIntakeOptions): void {
  const { stores, events } = options;
  /** Live messages already told of: one the server sends again is stored again, told of once. */
  const toldOf = new RecentIds(1_000);

  const receive = async (message: Message): Promise<void> => {
    const sync = stores.sync;
    if (!sync) return;
    const repeated = !toldOf.firstSighting(message.id);
    try {
      await sync.receive(message);
    } catch (error) {
      if (error instanceof ChatError) options.fail(error);
    }
    const cache = stores.cache;
    // A reaction is no message: listeners (notifications, the host's page) hear nothing of it.
    if (repeated || !cache || message.senderId === cache.userId || message.body.type === 'reaction') return;
    events.emit('message', message);
    if (isMessageBody(message.body)) {
      const conversation = await cache.conversation(message.conversationId).catch(() => undefined);
      options.conversations.received(message, !!conversation && showsDelivery(conversation));
    }
  };

  connection.on('message:new', (message) => void receive(message));
  // Live delivery to this connection may have missed messages (the server lost a link).
  connection.on('sync:required', () => options.catchUp());
  connection.on('conversation:read', ({ conversationId, readSeq }) => {
    void stores.cache?.advanceReadSeq(conversationId, readSeq, true);
  });
  // A voice message was played: by the user on another device, or by someone, of the user's own.
  connection.on('message:played', ({ conversationId, seq, userId, playedCount }) => {
    const cache = stores.cache;
    if (!cache) return;
    void cache.applyPlays([userId === cache.userId ? { conversationId, seq, played: true } : { conversationId, seq, playedCount }]);
  });
  connection.on('join-request:new', (request) => {
    void stores.cache?.putUsers([request.user]);
    events.emit('join-request', request);
  });
  // The user blocked or unblocked someone on another device.
  connection.on('user:block-changed', (change) => void stores.cache?.applyBlockChange(change));
  connection.on('join-request:decided', (decision) => events.emit('join-decided', decision));
  connection.on('group:announcement-confirmed', (confirmed) => events.emit('announcement-confirmed', confirmed));
  connection.on('support:availability', (availability) => events.emit('support-availability', availability));
}
