import type {
  AnnouncementConfirmedEvent,
  BlockChangedEvent,
  Conversation,
  JoinDecidedEvent,
  JoinRequestedEvent,
  Message,
  Presence,
  ReadState,
  Receipt,
  Session,
  SupportAvailability,
  SupportChangedEvent,
  TypingEvent,
  VoicePlayedEvent,
} from '../../protocol/index.js';
import type { EventSubscriber } from '../events/event-stream.js';
import type { CommittedEvent } from '../events/events.js';
import type { ImServer, ImSocket } from '../types.js';
import {
  agentsRoom,
  conversationRoom,
  customersRoom,
  isPresenceRoom,
  presenceRoom,
  userRoom,
} from './rooms.js';

/** A committed change of who is in a conversation, with the timeline events that tell it. */
export interface TimelineChange {
  conversationId: string;
  events: readonly Message[];
  /** Members who are in: their connections join the room (or stay) before the events go out. */
  joined?: readonly string[];
  /** Those who are out: their connections leave the room after the events (they hear why). */
  left?: readonly string[];
}

/**
 * Where live events leave the server: the one module that knows the socket.io server,
 * its rooms, who joins and leaves them, and what is emitted to whom. The rest of the
 * server says what happened (committed changes arrive from the event stream, `deliver`);
 * each delivery here decides the recipients. With the Redis adapter, every delivery but
 * the `local` ones reaches the other processes' connections.
 *
 * @example
 * const fanOut = new FanOut(io);
 * fanOut.timelineChanged({ conversationId, events, joined: ['bob'], left: [] });
 */
export class FanOut implements EventSubscriber {
  constructor(private readonly io: ImServer) {}

  /** A committed change, live to the connections it concerns. */
  deliver(event: CommittedEvent): void {
    switch (event.type) {
      case 'entry.added':
        return this.newEntry(event.entry, event.origin);
      case 'timeline.changed': {
        const { conversationId, entries, joined, left } = event;
        return this.timelineChanged({ conversationId, events: entries, joined, left });
      }
      case 'support.case-opened':
        return this.supportCaseOpened(event.conversationId, event.record.customerId);
      case 'support.case-changed':
        return this.supportChanged(event.change);
      case 'support.case-resolved':
        return;
      case 'announcement.confirmed':
        // Its live news goes to the group's owner and admins (`announcementConfirmed`), whom the command looks up.
        return;
    }
  }

  // Connections

  /** A new connection: in its user's room at once (a conversation started from now on reaches it), then `session:ready`. */
  openSession(socket: ImSocket, session: Session): void {
    void socket.join(userRoom(session.user.id));
    socket.emit('session:ready', session);
  }

  /** A connection follows the conversations its user belongs to. */
  followConversations(socket: ImSocket, conversationIds: readonly string[]): void {
    void socket.join(conversationIds.map(conversationRoom));
  }

  /** A connection watches the presence of exactly these users (replacing its previous watch). */
  watchPresence(socket: ImSocket, userIds: readonly string[]): void {
    const rooms = new Set(userIds.map(presenceRoom));
    for (const room of socket.rooms) {
      if (isPresenceRoom(room) && !rooms.has(room)) void socket.leave(room);
    }
    void socket.join([...rooms]);
  }

  /** A customer's connection hears when support's availability changes. */
  watchSupportAvailability(socket: ImSocket): void {
    void socket.join(customersRoom);
  }

  /** Ends every connection of the user, in every process. */
  endSessions(userId: string): void {
    this.io.in(userRoom(userId)).disconnectSockets(true);
  }

  /** Ends this process's connections (a shutdown). */
  endLocalSessions(): void {
    this.io.local.disconnectSockets(true);
  }

  // Conversations and their timelines

  /**
   * A new timeline entry to the conversation's connections. `sender`: the connection that
   * made it, which gets the command's ack instead.
   */
  newEntry(message: Message, sender?: ImSocket): void {
    const room = conversationRoom(message.conversationId);
    (sender ? sender.to(room) : this.io.to(room)).emit('message:new', message);
  }

  /**
   * Newcomers' connections join the room BEFORE the events go out (so they receive them),
   * every connection in the room gets the events, and those who are out leave the room
   * AFTER them, on all their tabs at once.
   */
  timelineChanged({ conversationId, events, joined = [], left = [] }: TimelineChange): void {
    const room = conversationRoom(conversationId);
    if (joined.length > 0) this.io.in(joined.map(userRoom)).socketsJoin(room);
    for (const event of events) this.io.to(room).emit('message:new', event);
    if (left.length > 0) this.io.in(left.map(userRoom)).socketsLeave(room);
  }

  /** The members' connections follow a conversation that was just made for them. */
  conversationStarted(conversationId: string, memberIds: readonly string[]): void {
    if (memberIds.length > 0) this.io.in(memberIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
  }

  /** A member's read position moved: to their other connections. */
  readMoved(read: ReadState, from: ImSocket): void {
    from.to(userRoom(read.userId)).emit('conversation:read', read);
  }

  /**
   * A member played a voice message: to their other connections and to the sender's,
   * nobody else's (the group's other members never hear of plays); the sender is null when
   * a block stands between the two.
   */
  voicePlayed(event: VoicePlayedEvent, senderId: string | null, from?: ImSocket): void {
    const rooms = senderId === null ? [userRoom(event.userId)] : [userRoom(event.userId), userRoom(senderId)];
    (from ? from.to(rooms) : this.io.to(rooms)).emit('message:played', event);
  }

  /** The user's own settings of a conversation changed: to their other connections. */
  conversationChanged(userId: string, conversation: Conversation, from: ImSocket): void {
    from.to(userRoom(userId)).emit('conversation:changed', conversation);
  }

  /**
   * The user blocked or unblocked someone: to their other connections (all of them when the
   * host did it). From then on neither hears the other's presence from a watch made before,
   * and both are told the other's is unknown (offline, never seen).
   */
  blockChanged(userId: string, change: BlockChangedEvent, from?: ImSocket): void {
    (from ? from.to(userRoom(userId)) : this.io.to(userRoom(userId))).emit('user:block-changed', change);
    if (change.blocked) {
      const otherId = change.user.id;
      this.io.in(userRoom(userId)).socketsLeave(presenceRoom(otherId));
      this.io.in(userRoom(otherId)).socketsLeave(presenceRoom(userId));
      // What each showed of the other goes, as for someone never seen.
      this.io.to(userRoom(userId)).emit('presence', { userId: otherId, online: false, lastSeenAt: null });
      this.io.to(userRoom(otherId)).emit('presence', { userId, online: false, lastSeenAt: null });
    }
  }

  /** How far a member got: to the conversation's other connections (the member's other tabs too). */
  receipt(receipt: Receipt, from: ImSocket): void {
    from.to(conversationRoom(receipt.conversationId)).emit('conversation:receipt', receipt);
  }

  /** Who is typing, best effort: dropped rather than late, never back to the typist's connection. */
  typing(event: TypingEvent, from: ImSocket): void {
    from.volatile.to(conversationRoom(event.conversationId)).emit('typing', event);
  }

  // Join requests

  /** Someone asked to join: to the group's owner and admins. */
  joinRequested(managerIds: readonly string[], request: JoinRequestedEvent): void {
    if (managerIds.length > 0) this.io.to(managerIds.map(userRoom)).emit('join-request:new', request);
  }

  /** To whoever asked to join: the answer. */
  joinRequestDecided(userId: string, decision: JoinDecidedEvent): void {
    this.io.to(userRoom(userId)).emit('join-request:decided', decision);
  }

  /** A member confirmed a group's announcement: to the group's owner and admins. */
  announcementConfirmed(managerIds: readonly string[], event: AnnouncementConfirmedEvent): void {
    if (managerIds.length > 0) this.io.to(managerIds.map(userRoom)).emit('group:announcement-confirmed', event);
  }

  // Presence

  /** Someone came online or went offline: to the connections that watch them. */
  presence(presence: Presence): void {
    this.io.to(presenceRoom(presence.userId)).emit('presence', presence);
  }

  // Support

  /** A new support conversation: the customer's connections and every agent's follow it. */
  supportCaseOpened(conversationId: string, customerId: string): void {
    this.io.in([userRoom(customerId), agentsRoom]).socketsJoin(conversationRoom(conversationId));
  }

  /** A signed-in user took over a visitor's conversation: their connections follow it instead. */
  supportCaseHandedOver(conversationId: string, visitorId: string, userId: string): void {
    const room = conversationRoom(conversationId);
    this.io.in(userRoom(userId)).socketsJoin(room);
    this.io.in(userRoom(visitorId)).socketsLeave(room);
  }

  /** A case changed: to every agent. */
  supportChanged(event: SupportChangedEvent): void {
    this.io.to(agentsRoom).emit('support:changed', event);
  }

  /** An agent's connections join the team and the open cases the agent now takes part in. */
  agentJoined(agentId: string, conversationIds: readonly string[]): void {
    this.io.in(userRoom(agentId)).socketsJoin([agentsRoom, ...conversationIds.map(conversationRoom)]);
  }

  /** A former agent's connections leave the team and the cases they were in. */
  agentLeft(userId: string, conversationIds: readonly string[]): void {
    this.io.in(userRoom(userId)).socketsLeave([agentsRoom, ...conversationIds.map(conversationRoom)]);
  }

  /** Whether and when the team answers changed: to the customers who asked. */
  supportAvailability(availability: SupportAvailability): void {
    this.io.to(customersRoom).emit('support:availability', availability);
  }

  // Between server processes

  /**
   * Live delivery may have missed something: connections catch up from storage. `local`:
   * this process's connections only; `everywhere`: every process's.
   */
  syncRequired(reach: 'local' | 'everywhere'): void {
    (reach === 'everywhere' ? this.io : this.io.local).emit('sync:required', {});
  }

  /** Tells the other processes that a conversation's members changed. */
  membershipChanged(conversationId: string): void {
    this.io.serverSideEmit('membership:changed', conversationId);
  }

  /** Calls `listener` when another process says a conversation's members changed. */
  onMembershipChanged(listener: (conversationId: string) => void): void {
    this.io.on('membership:changed', listener);
  }
}
