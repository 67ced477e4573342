import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, User } from '../protocol/index.js';

/** Per-connection state, set by the handshake. */
export interface SocketData {
  user: User;
  /** When the session ends unless `auth:refresh` extends it; null for tokens without `exp`. */
  expiresAt: number | null;
  /** An anonymous support visitor: may only talk to support (see `visitorCommands`). */
  visitor: boolean;
  /** Visitors this user signed in from, as `session:ready` told the client. */
  aliases: string[];
}

/**
 * Between server processes (through the adapter); fan-out to clients goes through rooms.
 * `membership:changed`: a conversation's members changed, drop what is cached of it.
 */
export interface InterServerEvents {
  'membership:changed': (conversationId: string) => void;
}

export type ImServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ImSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
