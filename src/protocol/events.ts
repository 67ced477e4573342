/**
 * The socket.io event maps, typed for both directions, derived from the command table in
 * `commands.ts`. Every client -> server event is a command: its last argument is an ack
 * callback that receives an `Ack<Result>`.
 *
 * Only types are imported here, so importing this module never loads zod.
 */
import type { z } from 'zod';
import type { AckCallback } from './ack.js';
import type { commands, serverEvents } from './commands.js';

type Commands = typeof commands;
type ServerEvents = typeof serverEvents;

export type CommandName = keyof Commands;

/** The payload type a command takes (fields with a default may be left out). */
export type CommandPayload<E extends CommandName> = z.input<Commands[E]['payload']>;

/** The `data` type of a command's successful ack. */
export type CommandResult<E extends CommandName> = z.output<Commands[E]['result']>;

export type ServerEventName = keyof ServerEvents;

/** The one argument of an event the server sends. */
export type ServerEventPayload<E extends ServerEventName> = z.output<ServerEvents[E]>;

export type ClientToServerEvents = {
  [E in keyof Commands]: (payload: CommandPayload<E>, ack: AckCallback<CommandResult<E>>) => void;
};

export type ServerToClientEvents = {
  [E in keyof ServerEvents]: (payload: ServerEventPayload<E>) => void;
};
