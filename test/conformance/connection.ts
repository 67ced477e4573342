/**
 * A conformance client: a real socket.io connection that records every server event and
 * checks every ack and event against the protocol's schemas.
 */
import { io, type Socket } from 'socket.io-client';
import { commands, serverEvents } from '../../src/protocol/commands.js';
import type { Ack, CommandName, CommandPayload, CommandResult, ServerToClientEvents } from '../../src/protocol/index.js';
import { Waiters } from '../support/node/waiters.js';

type EventName = keyof ServerToClientEvents;
type EventOf<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export const timeoutMs = 5_000;

/** A check failed: the report shows the message. */
export class CheckFailure extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

export function within<T>(promise: Promise<T>, what: string, ms = timeoutMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Connection {
  readonly events: { name: EventName; payload: unknown }[] = [];
  readonly #waiters = new Waiters();

  constructor(readonly socket: Socket) {
    socket.onAny((name: string, payload: unknown) => {
      const schema = (serverEvents as Record<string, { safeParse(value: unknown): { success: boolean; error?: unknown } }>)[name];
      if (schema) {
        const parsed = schema.safeParse(payload);
        if (!parsed.success) this.problems.push(`event ${name} does not match its schema: ${String(parsed.error)}`);
      }
      this.events.push({ name: name as EventName, payload });
      this.#waiters.notify();
    });
  }

  /** Schema violations seen on events; a check fails on any. */
  readonly problems: string[] = [];
  /** The commands this connection sent, for the suite's coverage. */
  readonly commandsSent = new Set<string>();

  /** Sends a command and returns its ack, checked against the envelope and the result schema. */
  async command<E extends CommandName>(name: E, payload: CommandPayload<E> | unknown): Promise<Ack<CommandResult<E>>> {
    this.commandsSent.add(name);
    const ack = (await within(this.socket.emitWithAck(name, payload), `ack to ${name}`)) as Ack<CommandResult<E>>;
    check(ack && typeof ack === 'object' && typeof ack.ok === 'boolean', `${name}: the ack is not { ok, ... }`);
    if (ack.ok) {
      const parsed = commands[name].result.safeParse(ack.data);
      check(parsed.success, `${name}: the result does not match its schema: ${parsed.error?.message ?? ''}`);
    } else {
      check(typeof ack.error?.code === 'string' && typeof ack.error.message === 'string', `${name}: the error has no code and message`);
    }
    return ack;
  }

  /** A command that must succeed. */
  async ok<E extends CommandName>(name: E, payload: CommandPayload<E>): Promise<CommandResult<E>> {
    const ack = await this.command(name, payload);
    check(ack.ok, `${name} failed: ${ack.ok ? '' : `${ack.error.code}: ${ack.error.message}`}`);
    return ack.data;
  }

  /** A command that must fail with this code. */
  async fails(name: CommandName, payload: unknown, code: string): Promise<void> {
    const ack = await this.command(name, payload);
    check(!ack.ok, `${name} succeeded where ${code} was expected`);
    check(ack.error.code === code, `${name} failed with ${ack.error.code} where ${code} was expected`);
  }

  /** The first event of this name that matches, recorded already or still to come. */
  waitFor<E extends EventName>(name: E, matches: (event: EventOf<E>) => boolean = () => true, what: string = name): Promise<EventOf<E>> {
    const find = () => this.received(name, matches)[0];
    return this.#waiters.until(find, (found) => within(found, what));
  }

  received<E extends EventName>(name: E, matches: (event: EventOf<E>) => boolean = () => true): EventOf<E>[] {
    return this.events.filter((event) => event.name === name && matches(event.payload as EventOf<E>)).map((event) => event.payload as EventOf<E>);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** An HTTP request to the server under test; no answer in time fails the check rather than waiting on. */
export async function request(url: string | URL, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error);
    throw new CheckFailure(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${reason}`);
  }
}

export function openSocket(url: string, auth: Record<string, unknown>): Socket {
  return io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth });
}

/** Connects and waits for `session:ready`; a refusal fails the check with its code. */
export async function connect(url: string, token: string): Promise<Connection> {
  const connection = new Connection(openSocket(url, { token }));
  const refused = new Promise<never>((_, reject) =>
    connection.socket.once('connect_error', (error) => reject(new CheckFailure(`the handshake was refused: ${error.message}`))),
  );
  try {
    await within(Promise.race([connection.waitFor('session:ready'), refused]), 'session:ready');
  } catch (error) {
    connection.close();
    throw error;
  }
  check(connection.events[0]?.name === 'session:ready', 'the first event was not session:ready');
  return connection;
}

/** The connect_error a handshake gets: its message is the code. */
export async function refusal(url: string, auth: Record<string, unknown>): Promise<{ message: string; data?: unknown }> {
  const socket = openSocket(url, auth);
  try {
    return await within(
      new Promise<{ message: string; data?: unknown }>((resolve, reject) => {
        socket.once('connect_error', (error: Error & { data?: unknown }) => resolve(error));
        socket.once('connect', () => reject(new CheckFailure('the handshake was accepted where a refusal was expected')));
      }),
      'connect_error',
    );
  } finally {
    socket.disconnect();
  }
}
