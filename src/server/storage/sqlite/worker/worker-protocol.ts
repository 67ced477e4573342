/**
 * What the event loop and the storage worker say to each other: calls go one way and
 * replies the other, each direction in batches (one message per event-loop turn), so a
 * burst of sends costs one hop each way instead of one per call.
 */
import { CommandError } from '../../../errors.js';
import type { StatementCount } from '../../statement-count.js';
import type { SqliteStorageOptions } from '../sqlite-storage.js';

/** The worker's connection writes: a read-only one is this thread's own. */
export type WorkerOptions = Omit<SqliteStorageOptions, 'readonly'>;

export interface StorageCall {
  id: number;
  /** A method of an area's `read` or `write` side (see storage/area.ts), or of the storage itself. */
  target?: AreaTarget;
  method: string;
  args: unknown[];
}

export interface AreaTarget {
  area: string;
  side: 'read' | 'write';
}

export type StorageReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: CarriedError };

export interface ReplyBatch {
  replies: StorageReply[];
  /** Present when the storage counts statements. */
  statements?: StatementCount;
}

/** An error as it crosses threads: a CommandError keeps its code and details. */
export interface CarriedError {
  name: string;
  message: string;
  stack?: string;
  command?: { code: CommandError['code']; details: CommandError['details'] };
}

export function carryError(error: unknown): CarriedError {
  if (error instanceof CommandError) {
    return { name: error.name, message: error.message, command: { code: error.code, details: error.details } };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

export function restoreError(carried: CarriedError): Error {
  if (carried.command) return new CommandError(carried.command.code, carried.message, carried.command.details);
  const error = new Error(carried.message);
  error.name = carried.name;
  if (carried.stack) error.stack = carried.stack;
  return error;
}
