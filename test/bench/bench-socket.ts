/** A bare socket.io connection for the benchmark generators, and commands that must succeed. */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  CommandName,
  CommandPayload,
  CommandResult,
  ServerToClientEvents,
} from '../../src/protocol/index.js';
import { withTimeout } from '../support/node/wait.js';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const connectTimeoutMs = 30_000;
const commandTimeoutMs = 30_000;

/** Connects over WebSocket with a token and waits for `session:ready`. */
export async function connectSocket(url: string, token: string): Promise<BenchSocket> {
  const socket: BenchSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
  });
  try {
    await withTimeout(ready, connectTimeoutMs, 'a bench client to connect');
    return socket;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

/** Sends a command and returns its result; throws on an error ack or a timeout. */
export async function command<E extends CommandName>(
  socket: BenchSocket,
  name: E,
  payload: CommandPayload<E>,
): Promise<CommandResult<E>> {
  const untyped = socket as unknown as Socket;
  const ack = (await untyped.timeout(commandTimeoutMs).emitWithAck(name, payload)) as
    | { ok: true; data: CommandResult<E> }
    | { ok: false; error: { code: string; message: string } };
  if (!ack.ok) throw new Error(`${name} failed: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Runs `work` on each item, `batch` at a time. */
export async function inBatches<T>(items: readonly T[], batch: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += batch) {
    await Promise.all(items.slice(start, start + batch).map((item, offset) => work(item, start + offset)));
  }
}
