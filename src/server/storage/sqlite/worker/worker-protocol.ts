/**
 * What the event loop and the storage worker say to each other: calls go one way and
 * replies the other, each direction in batches (one message per event-loop turn), so a
 * burst of sends costs one hop each way instead of one per call.
 */
import type { Message, ReplyRef } from '../../../../protocol/index.js';
import { CommandError } from '../../../errors.js';
import type { AppendMessageInput, AppendMessageResult } from '../../../messages/append-decision.js';
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

/**
 * What one event-loop turn's calls cross as. Message appends, the call of every message,
 * travel flat: `appendFields` strings and numbers each, one after another in one list,
 * far cheaper to copy across than objects, with each body serialized once, here, and
 * stored as it arrives.
 */
export interface CallBatch {
  appends: AppendField[];
  calls: StorageCall[];
}

type AppendField = string | number | null;

/** Per append: call id, conversationId, senderId, clientId, createdAt, body (JSON), replyTo (JSON or null). */
export const appendFields = 7;

export function encodeAppend(id: number, input: AppendMessageInput, into: AppendField[]): void {
  const { conversationId, senderId, clientId, createdAt, body, replyTo } = input;
  into.push(id, conversationId, senderId, clientId, createdAt, JSON.stringify(body), replyTo ? JSON.stringify(replyTo) : null);
}

/** The append at `at` in a batch's `appends`. */
export function decodeAppend(appends: readonly AppendField[], at: number): {
  input: AppendMessageInput;
  serializedBody: string;
} {
  const [, conversationId, senderId, clientId, createdAt, body, replyTo] = appends.slice(at, at + appendFields) as [
    number, string, string, string, number, string, string | null,
  ];
  const input: AppendMessageInput = { conversationId, senderId, clientId, createdAt, body: JSON.parse(body) as Message['body'] };
  if (replyTo !== null) input.replyTo = JSON.parse(replyTo) as ReplyRef;
  return { input, serializedBody: body };
}

/** The result the worker's storage gave a new message, rebuilt from its input as the append decision builds its entry. */
export function appendResult(input: AppendMessageInput, id: string, seq: number): AppendMessageResult {
  const { conversationId, senderId, clientId, body, createdAt, replyTo } = input;
  const message: Message = { id, conversationId, seq, senderId, clientId, body, createdAt };
  if (replyTo) message.replyTo = replyTo;
  return { message, duplicate: false };
}

export interface AreaTarget {
  area: string;
  side: 'read' | 'write';
}

export type StorageReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: CarriedError };

export interface ReplyBatch {
  /**
   * New messages, flat: call id, message id and seq each (a new message is its input's
   * entry, so only these cross). A duplicate (the original, which may differ) and a
   * refusal are replies.
   */
  appended: (string | number)[];
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
