import type { FastifyBaseLogger } from 'fastify';
import {
  fail,
  ok,
  type Ack,
  type CommandName,
  type ValidationIssue,
} from '../../protocol/index.js';
import { commands } from '../../protocol/commands.js';
import type { BackgroundWork } from '../background.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import { TokenBucket, type KeyedLimiter, type RateLimitOptions } from '../rate-limit.js';
import type { ImSocket } from '../types.js';
import { visitorCommands } from '../support/visitor-commands.js';
import { toValidationIssues } from '../validation.js';
import type { CommandContext, CommandHandler, CommandHandlers } from './command.js';

export interface DispatcherOptions {
  handlers: CommandHandlers;
  /** Per connection, every event. */
  rateLimit: RateLimitOptions;
  /** Per user over all their connections, by user id: what writes a timeline (see sendCommands). */
  sendLimit: KeyedLimiter;
  /** The budget of catch-up reads (`catchUpCommands`), apart from `rateLimit`. */
  catchUpRateLimit: RateLimitOptions;
  clock: Clock;
  logger: FastifyBaseLogger;
  /**
   * False while the link to the other server processes is down: commands are refused as
   * `unavailable` then, since what they change could not reach everyone it concerns.
   */
  available?: () => boolean;
  /** True once the server is stopping: new commands are refused, those in flight finish. */
  closing: () => boolean;
  /** Every command runs here, so that a shutdown waits for those in flight. */
  background: BackgroundWork;
}

export interface SocketDispatcherOptions extends DispatcherOptions {
  /** Settles when the connection is set up; false if it failed (the socket is gone then). */
  ready: Promise<boolean>;
}

type Reply = (response: Ack<unknown>) => void;

/**
 * One command as its handler sees it, and its ack, sent at most once: a handler may
 * acknowledge early (see CommandContext). A class rather than closures, as it is made for
 * every event: the TypeScript loader the server runs under names each named function it
 * creates with a call of its own.
 */
class CommandCall implements CommandContext {
  answered = false;

  constructor(
    readonly socket: ImSocket,
    private readonly reply: Reply,
  ) {}

  get user() {
    return this.socket.data.user;
  }

  respond(response: Ack<unknown>): void {
    if (this.answered) return;
    this.answered = true;
    this.reply(response);
  }

  acknowledge(data: unknown): void {
    this.respond(ok(data));
  }
}

/** Commands that add to a timeline: a user opening more connections gets no more of them. */
const sendCommands: ReadonlySet<CommandName> = new Set<CommandName>(['message:send', 'message:edit']);
/** Reads a reconnecting client makes to catch up; they draw on their own budget. */
const catchUpCommands: ReadonlySet<string> = new Set<CommandName>(['conversation:sync', 'message:history']);

/**
 * The one path every inbound event takes: ack present, rate limit, known name, payload
 * schema, handler, error mapping. Nothing a client sends may throw out of here.
 */
export function attachCommandDispatcher(socket: ImSocket, options: SocketDispatcherOptions): void {
  const bucket = new TokenBucket(options.rateLimit, options.clock);
  const catchUpBucket = new TokenBucket(options.catchUpRateLimit, options.clock);
  const { logger } = options;

  // onAny sees every event, known or not, with the ack as the last argument.
  socket.onAny((event: unknown, ...args: unknown[]) => {
    void options.background.run(dispatch(String(event), args)).catch((error: unknown) =>
      logger.error({ err: error, event, socketId: socket.id }, 'event dispatch failed'),
    );
  });

  async function dispatch(event: string, args: unknown[]): Promise<void> {
    const reply = args.at(-1);
    if (typeof reply !== 'function') {
      logger.debug({ event: event.slice(0, 100), socketId: socket.id }, 'no ack: ignored');
      return;
    }
    const call = new CommandCall(socket, reply as Reply);
    const waitMs = (catchUpCommands.has(event) ? catchUpBucket : bucket).take();
    if (waitMs > 0) {
      call.respond(fail({ code: 'rate_limited', message: 'too many events', retryAfterMs: waitMs }));
      return;
    }
    if (!isCommandName(event)) {
      call.respond(fail({ code: 'unknown_event', message: `unknown event "${event.slice(0, 100)}"` }));
      return;
    }
    const parsed = commands[event].payload.safeParse(args.length > 1 ? args[0] : undefined);
    if (!parsed.success) {
      const issues = toValidationIssues(parsed.error.issues);
      call.respond(fail({ code: 'invalid_payload', message: describe(issues), issues }));
      return;
    }
    if (socket.data.visitor && !visitorCommands.has(event)) {
      call.respond(fail({ code: 'forbidden', message: 'an anonymous visitor can only talk to support' }));
      return;
    }
    if (options.closing()) {
      call.respond(fail({ code: 'unavailable', message: 'the server is stopping; retry in a moment' }));
      return;
    }
    if (!(await options.ready)) return;
    if (options.available && !options.available()) {
      call.respond(fail({ code: 'unavailable', message: 'the server cannot reach its other processes now; retry later' }));
      return;
    }
    // The handler map is keyed by the same name as the schema it was validated with.
    const handler = options.handlers[event] as CommandHandler<CommandName>;
    try {
      if (sendCommands.has(event)) {
        const sendWaitMs = await options.sendLimit.take(socket.data.user.id);
        if (sendWaitMs > 0) {
          call.respond(fail({ code: 'rate_limited', message: 'too many messages from this user', retryAfterMs: sendWaitMs }));
          return;
        }
      }
      call.respond(ok(await handler(parsed.data as never, call)));
    } catch (error) {
      if (error instanceof CommandError && !call.answered) {
        call.respond(fail(error.toProtocolError()));
        return;
      }
      const userId = socket.data.user.id;
      const what = call.answered ? 'command failed after its ack' : 'command failed';
      logger.error({ err: error, event, userId, socketId: socket.id }, what);
      call.respond(fail({ code: 'internal', message: 'the server failed; retry later' }));
    }
  }
}

function isCommandName(event: string): event is CommandName {
  return Object.hasOwn(commands, event);
}

function describe(issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid payload';
  return `invalid payload: ${first.path || 'payload'} ${first.message}`;
}
