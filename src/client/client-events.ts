/** What a `ChatClient` tells its listeners (`client.on`), and the statuses it goes through. */
import type { AnnouncementConfirmedEvent, JoinDecidedEvent, JoinRequestedEvent, Message, Presence, SupportAvailability, User } from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { ChatError } from './errors.js';

/**
 * - `starting`: opening the cache and getting a token
 * - `connecting`: first connection attempt
 * - `syncing`: connected, catching up with what happened meanwhile
 * - `online`: up to date, live
 * - `offline`: no connection; retrying, and writing to the outbox meanwhile
 * - `unauthorized`: the server refuses the token and no fresh one can be had
 * - `stopped`
 */
export type ClientStatus =
  | 'starting'
  | 'connecting'
  | 'syncing'
  | 'online'
  | 'offline'
  | 'unauthorized'
  | 'stopped';

export interface ChatClientEvents {
  status: ClientStatus;
  /** A cache was opened, or replaced because another user signed in. */
  cache: ChatCache;
  session: User;
  /** A new message from someone else arrived live. */
  message: Message;
  /** Someone asked to join a group this user administers. */
  'join-request': JoinRequestedEvent;
  /** A member confirmed the announcement of a group this user administers. */
  'announcement-confirmed': AnnouncementConfirmedEvent;
  /** This user's request to join a group was decided. */
  'join-decided': JoinDecidedEvent;
  /** A watched user came online or went offline (see `client.presence`). */
  presence: Presence;
  /** Whether and when the support team answers changed (after `support.config()`). */
  'support-availability': SupportAvailability;
  error: ChatError;
}
