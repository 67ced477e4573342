import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEvents,
  SendMessageResult,
  ServerToClientEvents,
} from '../../src/protocol/index.js';
import { withTimeout } from '../support/node/wait.js';
import type { AckOutcome, Ledger } from './ledger.js';

type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const connectTimeoutMs = 15_000;
const ackTimeoutMs = 10_000;

/** Every message carries this text: 100 characters, a typical chat line. */
export const messageText =
  'The quick brown fox jumps over the lazy dog while the benchmark counts every message. 0123456789ABCD';

/** One simulated user: a websocket connection that sends to its peer in a closed loop. */
export class BenchClient {
  #peer: BenchClient | null = null;
  #conversationId = '';
  #inFlight = 0;

  private constructor(
    readonly index: number,
    readonly userId: string,
    private readonly socket: BenchSocket,
    private readonly ledger: Ledger,
    private readonly window: number,
  ) {
    socket.on('message:new', (message) => ledger.delivered(message.clientId, index));
    socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') ledger.countError(`disconnect:${reason}`);
    });
  }

  /** Connects with a token and waits for `session:ready`. */
  static async connect(options: {
    url: string;
    index: number;
    userId: string;
    token: string;
    ledger: Ledger;
    window: number;
  }): Promise<BenchClient> {
    const { url, index, userId, token, ledger, window } = options;
    const socket: BenchSocket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      auth: { token },
    });
    const ready = new Promise<void>((resolve, reject) => {
      socket.once('session:ready', () => resolve());
      socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
    });
    try {
      await withTimeout(ready, connectTimeoutMs, `client ${index} to connect`);
    } catch (error) {
      socket.disconnect();
      throw error;
    }
    return new BenchClient(index, userId, socket, ledger, window);
  }

  /** Opens the single chat with `peer`; both of them send into it from now on. */
  async startConversation(peer: BenchClient): Promise<void> {
    const ack = await this.socket
      .timeout(ackTimeoutMs)
      .emitWithAck('conversation:start', { userId: peer.userId });
    if (!ack.ok) throw new Error(`conversation:start failed: ${JSON.stringify(ack.error)}`);
    this.#peer = peer;
    peer.#peer = this;
    this.#conversationId = peer.#conversationId = ack.data.conversation.id;
  }

  /** Fills the window; every ack sends the next message, until the ledger says stop. */
  pump(): void {
    while (this.#inFlight < this.window && this.ledger.canSend) this.#send();
  }

  close(): void {
    this.socket.disconnect();
  }

  #send(): void {
    if (!this.#peer) throw new Error(`client ${this.index} has no conversation yet`);
    const clientId = randomUUID();
    const body = { type: 'text' as const, text: messageText };
    const payload = { conversationId: this.#conversationId, clientId, body };
    this.ledger.sent(clientId, this.#peer.index);
    this.#inFlight += 1;
    this.socket.timeout(ackTimeoutMs).emit('message:send', payload, (error, ack) => {
      this.#inFlight -= 1;
      this.ledger.acked(clientId, outcomeOf(error, ack));
      this.pump();
    });
  }
}

function outcomeOf(error: Error | null, ack: Ack<SendMessageResult>): AckOutcome {
  if (error) return 'ack_timeout';
  if (!ack.ok) return `error:${ack.error.code}`;
  return ack.data.duplicate ? 'duplicate_ack' : 'ok';
}
