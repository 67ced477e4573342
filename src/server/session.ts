import type { FastifyBaseLogger } from 'fastify';
import type { ExtendedError } from 'socket.io';
import { HandshakeAuth } from '../protocol/schemas.js';
import type { Authenticator } from './auth/authenticator.js';
import type { ConnectionLimits } from './connection-limits.js';
import type { Accounts } from './accounts/accounts.js';
import type { FanOut } from './fan-out/fan-out.js';
import type { MembershipCache } from './membership.js';
import { isOriginAllowed, type AllowedOrigins } from './origin.js';
import type { Presence } from './presence.js';
import { CommandError } from './errors.js';
import { attachCommandDispatcher, type DispatcherOptions } from './handlers/dispatch.js';
import type { SessionExpiry } from './session-expiry.js';
import type { Storage } from './storage/storage.js';
import type { SupportDesk } from './support/support-desk.js';
import type { ImServer, ImSocket } from './types.js';

export interface SessionOptions extends DispatcherOptions {
  allowedOrigins: AllowedOrigins;
  auth: Authenticator;
  storage: Storage;
  membership: MembershipCache;
  sessions: SessionExpiry;
  presence: Presence;
  accounts: Accounts;
  support: SupportDesk;
  connectionLimits: ConnectionLimits;
  fanOut: FanOut;
}

/**
 * Checks each handshake's origin, authenticates it, and sets the connection up: rooms,
 * `session:ready`, commands, expiry.
 */
export function installSessions(io: ImServer, options: SessionOptions): void {
  const { allowedOrigins, auth, storage, membership, sessions, presence, support, clock, logger, accounts, fanOut } =
    options;
  // Places taken by handshakes, given back when their connection closes.
  const releases = new WeakMap<ImSocket, () => void>();

  io.use((socket, next) => {
    if (!isOriginAllowed(socket.request, allowedOrigins)) {
      const origin = String(socket.request.headers.origin).slice(0, 200);
      const refusal = new CommandError('origin_not_allowed', `origin ${origin} may not connect`);
      next(toConnectError(refusal, logger));
      return;
    }
    authenticate(socket).then(
      () => next(),
      (error: unknown) => next(toConnectError(error, logger)),
    );
  });

  io.on('connection', (socket) => {
    const { user, expiresAt } = socket.data;
    const release = releases.get(socket);
    fanOut.openSession(socket, { user, serverTime: clock.now(), expiresAt, aliases: socket.data.aliases });
    attachCommandDispatcher(socket, { ...options, ready: joinConversationRooms(socket) });
    presence.connected(socket);
    socket.on('disconnect', () => {
      release?.();
      sessions.cancel(socket);
      presence.disconnected(socket);
    });
    // Last: a token that expired during the handshake ends the connection right here.
    sessions.schedule(socket);
  });

  async function authenticate(socket: ImSocket): Promise<void> {
    options.connectionLimits.checkAddress(socket.handshake.address);
    const handshake = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!handshake.success) {
      throw new CommandError('unauthenticated', 'the handshake has no token: pass auth: { token }');
    }
    const { user, expiresAt, visitor = false } = await auth.verify(handshake.data.token);
    await accounts.requireActive(user.id);
    await accounts.saveProfile(user);
    const aliases = visitor ? [] : await support.claimedVisitorIds(user.id);
    // Last, with nothing awaited after it. Given back on disconnect, or when the transport
    // closes before the connection opened (then no disconnect follows).
    const release = options.connectionLimits.reserve(user.id, socket.handshake.address);
    socket.conn.once('close', release);
    releases.set(socket, release);
    socket.data = { user, expiresAt, visitor, aliases };
  }

  /**
   * Commands wait for this, so a sync that the client sends after `session:ready` runs
   * only once the socket is in every room: whatever it does not return arrives live.
   */
  async function joinConversationRooms(socket: ImSocket): Promise<boolean> {
    try {
      const userId = socket.data.user.id;
      // An agent takes part in every open case, those opened while they were away too.
      if (!socket.data.visitor && (await support.isAgent(userId))) await support.agentConnected(userId);
      const listed = await storage.conversations.read.idsOf(userId);
      // A socket that left meanwhile must not be put back into rooms, nor into the room
      // of a group it was removed from meanwhile.
      if (!socket.connected) return false;
      const conversationIds = listed.filter((id) => membership.peek(id, userId) !== false);
      fanOut.followConversations(socket, conversationIds);
      return true;
    } catch (error) {
      logger.error({ err: error, userId: socket.data.user.id }, 'could not join the rooms');
      socket.disconnect(true);
      return false;
    }
  }
}

/** What the client's `connect_error` carries: `message` is the code, `data` the details. */
function toConnectError(error: unknown, logger: FastifyBaseLogger): ExtendedError {
  const failure =
    error instanceof CommandError
      ? error
      : new CommandError('internal', 'the server failed to authenticate the connection');
  if (failure !== error) logger.error({ err: error }, 'handshake failed');
  return Object.assign(new Error(failure.code), {
    data: { code: failure.code, message: failure.message },
  });
}
