import type { ChatSocket, CreateSocket } from '../../../../src/client/connection.js';
import { readTokenClaims } from '../../../../src/client/token.js';
import type {
  Ack,
  CommandName,
  CommandPayload,
  CommandResult,
  Conversation,
  ErrorCode,
  Message,
  TextBody,
  User,
} from '../../../../src/protocol/index.js';
import { FakeSocket, type AckReply, type SocketServer } from './fake-socket.js';

interface Timeline {
  id: string;
  type: 'single' | 'group';
  members: string[];
  messages: Message[];
  /** The server's change counter when this conversation last changed: what the sync cursor compares. */
  version: number;
  readSeqs: Map<string, number>;
  createdAt: number;
}

/** A command the server holds on to until the test answers it. */
export interface HeldCommand<E extends CommandName> {
  payload: CommandPayload<E>;
  /** Does what the server would do and acks with its result. */
  accept(): void;
  refuse(code: ErrorCode, details?: { retryAfterMs?: number }): void;
}

let servers = 0;

/**
 * An im-chat server in memory, just enough for one client's tests: single chats and
 * groups, sends, history, sync with a cursor, read positions. Commands are answered at
 * once unless the test holds them (`hold`) to answer them itself.
 */
export class FakeServer implements SocketServer {
  /** Each server has an origin of its own, and so the client a cache of its own. */
  readonly url = `https://chat-${++servers}.test`;
  readonly sockets: FakeSocket[] = [];
  /** Every command the clients sent, in order. */
  readonly received: Array<{ event: string; payload: unknown }> = [];
  #up = true;
  #version = 0;
  readonly #timelines = new Map<string, Timeline>();
  readonly #users = new Map<FakeSocket, { userId: string; token: string }>();
  readonly #holding = new Set<string>();
  readonly #held: Array<{ event: string; command: HeldCommand<CommandName> }> = [];
  readonly #heldWaiters = new Set<() => void>();

  constructor(private readonly clock: { now(): number }) {}

  /** What `ChatClientOptions.createSocket` takes: sockets connect to this server. */
  readonly createSocket: CreateSocket = (_url, options) => {
    const socket = new FakeSocket(this, options.auth as ConstructorParameters<typeof FakeSocket>[1]);
    this.sockets.push(socket);
    return socket as unknown as ChatSocket;
  };

  /** The socket of the client started last. */
  get socket(): FakeSocket {
    return this.sockets.at(-1)!;
  }

  // ---- SocketServer ----

  handshake(socket: FakeSocket, token: string): void {
    const userId = readTokenClaims(token).sub;
    this.#users.set(socket, { userId, token });
    if (!this.#up || !socket.active || socket.connected) return;
    socket.open();
    socket.send('session:ready', { user: profile(userId), serverTime: this.clock.now(), expiresAt: null });
  }

  command(socket: FakeSocket, event: string, payload: unknown, ack: AckReply): void {
    this.received.push({ event, payload });
    const userId = this.#users.get(socket)!.userId;
    const answer = () => ack(this.#answer(event as CommandName, payload, userId));
    if (!this.#holding.has(event)) return answer();
    this.#held.push({
      event,
      command: {
        payload: payload as CommandPayload<CommandName>,
        accept: answer,
        refuse: (code, details = {}) => ack({ ok: false, error: { code, message: `refused: ${code}`, ...details } }),
      },
    });
    for (const waiter of [...this.#heldWaiters]) waiter();
  }

  // ---- what the test does ----

  /** The server goes away: connections break, handshakes get no answer until `start`. */
  stop(): void {
    this.#up = false;
    for (const socket of this.sockets) socket.drop();
  }

  /** The server is back: sockets still trying to connect get in. */
  start(): void {
    this.#up = true;
    for (const [socket, { token }] of this.#users) this.handshake(socket, token);
  }

  /** From now on, commands named `event` wait for the test to answer them (`nextHeld`). */
  hold(event: CommandName): void {
    this.#holding.add(event);
  }

  /**
   * The oldest held `event` command not taken yet, once it arrives. Gives up after a few
   * seconds of real time, for a test that went wrong.
   */
  nextHeld<E extends CommandName>(event: E): Promise<HeldCommand<E>> {
    return new Promise((resolve, reject) => {
      const giveUp = setTimeout(() => {
        this.#heldWaiters.delete(take);
        reject(new Error(`No ${event} arrived; the client sent ${this.received.map((r) => r.event).join(', ')}`));
      }, 5_000);
      const take = () => {
        const index = this.#held.findIndex((held) => held.event === event);
        if (index < 0) return;
        clearTimeout(giveUp);
        this.#heldWaiters.delete(take);
        resolve(this.#held.splice(index, 1)[0]!.command as unknown as HeldCommand<E>);
      };
      this.#heldWaiters.add(take);
      take();
    });
  }

  /** Held commands not taken yet. */
  heldCount(event: CommandName): number {
    return this.#held.filter((held) => held.event === event).length;
  }

  singleChat(userId: string, peerId: string): string {
    return this.#create('single', [userId, peerId]);
  }

  group(memberIds: string[]): string {
    return this.#create('group', memberIds);
  }

  /** Someone writes in a conversation: stored with the next seq (not delivered to anyone). */
  post(conversationId: string, senderId: string, text: string, mentions: Omit<TextBody, 'type' | 'text'> = {}): Message {
    return this.#append(conversationId, senderId, crypto.randomUUID(), { type: 'text', text, ...mentions });
  }

  /** A live `message:new` to the newest socket. */
  deliver(message: Message): void {
    this.socket.send('message:new', message);
  }

  messages(conversationId: string): Message[] {
    return [...this.#timelines.get(conversationId)!.messages];
  }

  #create(type: Timeline['type'], members: string[]): string {
    const id = `${type}-${this.#timelines.size + 1}`;
    this.#timelines.set(id, {
      id,
      type,
      members,
      messages: [],
      version: ++this.#version,
      readSeqs: new Map(),
      createdAt: this.clock.now(),
    });
    return id;
  }

  #append(conversationId: string, senderId: string, clientId: string, body: TextBody): Message {
    const timeline = this.#timelines.get(conversationId)!;
    const message: Message = {
      id: `${conversationId}/${timeline.messages.length + 1}`,
      conversationId,
      seq: timeline.messages.length + 1,
      senderId,
      clientId,
      body,
      createdAt: this.clock.now(),
    };
    timeline.messages.push(message);
    timeline.readSeqs.set(senderId, message.seq);
    timeline.version = ++this.#version;
    return message;
  }

  #answer(event: CommandName, payload: unknown, userId: string): Ack<unknown> {
    const result = this.#run(event, payload as never, userId);
    return result ? { ok: true, data: result } : { ok: false, error: { code: 'unknown_event', message: event } };
  }

  #run<E extends CommandName>(event: E, payload: CommandPayload<E>, userId: string): CommandResult<CommandName> | null {
    switch (event) {
      case 'conversation:sync': {
        const { cursor } = payload as CommandPayload<'conversation:sync'>;
        const changed = [...this.#timelines.values()].filter(
          (timeline) => timeline.members.includes(userId) && timeline.version > Number(cursor ?? 0),
        );
        return {
          conversations: changed.map((timeline) => this.#summary(timeline, userId)),
          users: [...new Set(changed.flatMap((timeline) => timeline.members))].map(profile),
          cursor: String(this.#version),
          hasMore: false,
          reset: false,
        };
      }
      case 'message:history': {
        const { conversationId, afterSeq = 0, limit = 50 } = payload as CommandPayload<'message:history'>;
        const after = this.messages(conversationId).filter((message) => message.seq > afterSeq);
        return { messages: after.slice(0, limit), hasMore: after.length > limit };
      }
      case 'message:send': {
        const { conversationId, clientId, body } = payload as CommandPayload<'message:send'>;
        const original = this.messages(conversationId).find((message) => message.clientId === clientId);
        if (original) return { message: original, duplicate: true };
        return { message: this.#append(conversationId, userId, clientId, body as TextBody), duplicate: false };
      }
      case 'conversation:read': {
        const { conversationId, seq } = payload as CommandPayload<'conversation:read'>;
        const timeline = this.#timelines.get(conversationId)!;
        const readSeq = Math.max(timeline.readSeqs.get(userId) ?? 0, Math.min(seq, timeline.messages.length));
        timeline.readSeqs.set(userId, readSeq);
        return { readSeq };
      }
      case 'conversation:delivered':
        return { deliveredSeq: (payload as CommandPayload<'conversation:delivered'>).seq };
      case 'conversation:receipts':
        return { receipts: [] };
      case 'message:played':
        return { changed: true };
      default:
        return null;
    }
  }

  #summary(timeline: Timeline, userId: string): Conversation {
    const lastMessage = timeline.messages.at(-1) ?? null;
    const readSeq = timeline.readSeqs.get(userId) ?? 0;
    const common = {
      id: timeline.id,
      lastSeq: timeline.messages.length,
      readSeq,
      unreadCount: timeline.messages.filter((m) => m.seq > readSeq && m.senderId !== userId).length,
      lastMessage,
      createdAt: timeline.createdAt,
      updatedAt: lastMessage?.createdAt ?? timeline.createdAt,
      pinnedAt: null,
      notificationsMuted: false,
      hidden: false,
      markedUnread: false,
    };
    if (timeline.type === 'single') {
      return { ...common, type: 'single', peerId: timeline.members.find((id) => id !== userId)! };
    }
    const mentioning = timeline.messages.filter(
      (m) => m.body.type === 'text' && (m.body.mentionAll || m.body.mentions?.includes(userId)),
    );
    return {
      ...common,
      type: 'group',
      name: 'The group',
      avatar: null,
      description: '',
      announcement: '',
      announcementSeq: 0,
      announcementConfirmed: false,
      memberCount: timeline.members.length,
      membership: 'active',
      role: timeline.members[0] === userId ? 'owner' : 'member',
      muted: false,
      mutedAll: false,
      joinPolicy: 'open',
      dismissed: false,
      mentionSeq: mentioning.at(-1)?.seq ?? 0,
    };
  }
}

function profile(userId: string): User {
  return { id: userId, name: userId, avatar: null };
}
