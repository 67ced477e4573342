/**
 * The baseline: a plain socket.io server speaking the same events with the same payloads
 * and acks as im-chat, but with no authentication, validation or storage. What im-chat
 * costs on top of socket.io is the difference between the two.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { Server } from 'socket.io';
import type { ClientToServerEvents, Message, ServerToClientEvents, User } from '../../src/protocol/index.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { conversationRoom, userRoom } from '../../src/server/types.js';
import { serveTarget } from './target-child.js';

type RelayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: User }
>;

void serveTarget(async () => {
  const httpServer = createServer();
  const io: RelayServer = new Server(httpServer, { serveClient: false });
  const lastSeqs = new Map<string, number>();

  // The token is read, not verified: the relay trusts whoever connects.
  io.use((socket, next) => {
    const id = String(decodeJwt(String(socket.handshake.auth['token'])).sub);
    socket.data.user = { id, name: id, avatar: null };
    next();
  });

  io.on('connection', (socket) => {
    const { user } = socket.data;
    void socket.join(userRoom(user.id));
    socket.emit('session:ready', { user, serverTime: Date.now(), expiresAt: null });

    socket.on('conversation:start', ({ userId }, ack) => {
      const id = singleConversationId(user.id, userId);
      io.in([userRoom(user.id), userRoom(userId)]).socketsJoin(conversationRoom(id));
      const now = Date.now();
      const peer = { id: userId, name: userId, avatar: null };
      ack({
        ok: true,
        data: {
          conversation: {
            id,
            type: 'single',
            peerId: userId,
            lastSeq: lastSeqs.get(id) ?? 0,
            readSeq: 0,
            unreadCount: 0,
            lastMessage: null,
            createdAt: now,
            updatedAt: now,
            pinnedAt: null,
            notificationsMuted: false,
            hidden: false,
            markedUnread: false,
          },
          users: [user, peer],
        },
      });
    });

    socket.on('message:send', ({ conversationId, clientId, body }, ack) => {
      const seq = (lastSeqs.get(conversationId) ?? 0) + 1;
      lastSeqs.set(conversationId, seq);
      const message: Message = {
        id: randomUUID(),
        conversationId,
        seq,
        senderId: user.id,
        clientId,
        // The load generator sends text only.
        body: body as Extract<Message['body'], { type: 'text' }>,
        createdAt: Date.now(),
      };
      socket.to(conversationRoom(conversationId)).emit('message:new', message);
      ack({ ok: true, data: { message, duplicate: false } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
});
