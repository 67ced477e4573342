/**
 * The baselines: a plain socket.io server speaking the same events with the same payloads
 * and acks as im-chat for what the benchmarks do (single chats, groups, sends, sync,
 * history), but with no authentication or validation: conversations live in this
 * process's memory. The bare relay stores nothing; the durable relay stores each message
 * with the minimal store (minimal-store.ts) and acks and relays it only once it is
 * committed. What im-chat costs on top of socket.io, and on top of durable storage at its
 * floor, is the difference.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  Conversation,
  GroupConversation,
  Message,
  ServerToClientEvents,
  User,
} from '../../src/protocol/index.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { conversationRoom, userRoom } from '../../src/server/fan-out/rooms.js';
import type { MinimalAppend, MinimalAppended } from './minimal-store.js';
import type { RunningTarget } from './target-child.js';

/** Where the durable relay stores messages: resolves once the message is durable. */
export interface RelayStore {
  append(input: MinimalAppend): Promise<MinimalAppended>;
  close(): Promise<void>;
}

type RelayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  { user: User }
>;

interface RelayConversation {
  id: string;
  type: 'single' | 'group';
  memberIds: Set<string>;
  messages: Message[];
  createdAt: number;
  /** The change counter when a message last arrived: what sync lists by. */
  version: number;
}

/** The relay on a port of its own; with `store`, the durable relay. */
export async function startRelay(store: RelayStore | null): Promise<RunningTarget> {
  const httpServer = createServer();
  const io: RelayServer = new Server(httpServer, { serveClient: false });
  const conversations = new Map<string, RelayConversation>();
  const ofUser = new Map<string, Set<RelayConversation>>();
  let version = 0;
  let groups = 0;

  const conversation = (id: string, type: 'single' | 'group', memberIds: readonly string[]) => {
    let found = conversations.get(id);
    if (!found) {
      found = { id, type, memberIds: new Set(), messages: [], createdAt: Date.now(), version: 0 };
      conversations.set(id, found);
    }
    for (const memberId of memberIds) {
      found.memberIds.add(memberId);
      if (!ofUser.has(memberId)) ofUser.set(memberId, new Set());
      ofUser.get(memberId)!.add(found);
    }
    // Never with no rooms named: that would be every socket.
    if (memberIds.length > 0) io.in(memberIds.map(userRoom)).socketsJoin(conversationRoom(id));
    return found;
  };

  // The token is read, not verified: the relay trusts whoever connects.
  io.use((socket, next) => {
    const id = String(decodeJwt(String(socket.handshake.auth['token'])).sub);
    socket.data.user = { id, name: id, avatar: null };
    next();
  });

  io.on('connection', (socket) => {
    const { user } = socket.data;
    void socket.join(userRoom(user.id));
    // Already in every conversation's room: nothing is looked up.
    for (const known of ofUser.get(user.id) ?? []) void socket.join(conversationRoom(known.id));
    socket.emit('session:ready', { user, serverTime: Date.now(), expiresAt: null });

    socket.on('conversation:start', ({ userId }, ack) => {
      const started = conversation(singleConversationId(user.id, userId), 'single', [user.id, userId]);
      ack({ ok: true, data: { conversation: view(started, user.id), users: [user, { id: userId, name: userId, avatar: null }] } });
    });

    socket.on('group:create', ({ name, memberIds }, ack) => {
      const created = conversation(`g_relay_${++groups}`, 'group', [user.id, ...memberIds]);
      ack({ ok: true, data: { conversation: groupView(created, name), users: [user] } });
    });

    socket.on('group:add-members', ({ conversationId, userIds }, ack) => {
      const group = conversation(conversationId, 'group', userIds);
      ack({ ok: true, data: { conversation: groupView(group, 'group'), users: [user] } });
    });

    socket.on('message:send', ({ conversationId, clientId, body }, ack) => {
      const target = conversation(conversationId, 'single', []);
      // The load generators send text only.
      const { text } = body as Extract<Message['body'], { type: 'text' }>;
      const relay = (message: Message) => {
        target.messages.push(message);
        target.version = ++version;
        socket.to(conversationRoom(conversationId)).emit('message:new', message);
        ack({ ok: true, data: { message, duplicate: false } });
      };
      if (!store) {
        const seq = target.messages.length + 1;
        relay({ id: randomUUID(), conversationId, seq, senderId: user.id, clientId, body: { type: 'text', text }, createdAt: Date.now() });
        return;
      }
      store.append({ conversationId, senderId: user.id, clientId, text, createdAt: Date.now() }).then(
        ({ message: { text: storedText, ...stored }, duplicate }) => {
          const message: Message = { ...stored, body: { type: 'text', text: storedText } };
          // A retry was relayed the first time.
          if (duplicate) ack({ ok: true, data: { message, duplicate: true } });
          else relay(message);
        },
        (error: Error) => ack({ ok: false, error: { code: 'unavailable', message: error.message } }),
      );
    });

    socket.on('conversation:sync', ({ cursor, limit = 100 }, ack) => {
      const since = Number(cursor ?? 0);
      const changed = [...(ofUser.get(user.id) ?? [])]
        .filter((known) => known.version > since)
        .sort((a, b) => a.version - b.version);
      const page = changed.slice(0, limit);
      ack({
        ok: true,
        data: {
          conversations: page.map((known) => view(known, user.id)),
          users: [],
          cursor: String(page.at(-1)?.version ?? since),
          hasMore: changed.length > limit,
          reset: false,
        },
      });
    });

    socket.on('message:history', ({ conversationId, afterSeq, limit = 50 }, ack) => {
      const messages = conversations.get(conversationId)?.messages ?? [];
      const page = messages.slice(afterSeq ?? 0, (afterSeq ?? 0) + limit);
      ack({ ok: true, data: { messages: page, hasMore: (afterSeq ?? 0) + limit < messages.length } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (httpServer.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await store?.close();
    },
  };
}

/** What every summary has; read positions and settings are not kept by the relay. */
function summary(known: RelayConversation) {
  const lastMessage = known.messages.at(-1) ?? null;
  return {
    id: known.id,
    lastSeq: known.messages.length,
    readSeq: 0,
    unreadCount: 0,
    lastMessage,
    createdAt: known.createdAt,
    updatedAt: lastMessage?.createdAt ?? known.createdAt,
    pinnedAt: null,
    notificationsMuted: false,
    hidden: false,
    markedUnread: false,
  };
}

function view(known: RelayConversation, userId: string): Conversation {
  if (known.type === 'group') return groupView(known, 'group');
  const peerId = [...known.memberIds].find((id) => id !== userId) ?? userId;
  return { ...summary(known), type: 'single', peerId };
}

function groupView(known: RelayConversation, name: string): GroupConversation {
  return {
    ...summary(known),
    type: 'group',
    name,
    avatar: null,
    description: '',
    announcement: '',
    announcementSeq: 0,
    announcementConfirmed: false,
    memberCount: known.memberIds.size,
    membership: 'active',
    role: 'owner',
    muted: false,
    mutedAll: false,
    joinPolicy: 'open',
    dismissed: false,
    mentionSeq: 0,
  };
}
