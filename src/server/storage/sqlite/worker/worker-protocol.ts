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
 * A message append, the one call of every message: a flat list of strings and numbers,
 * far cheaper to copy across than the input's objects, with the body serialized once,
 * here, and stored as it arrives.
 */
export interface AppendCall {
  id: number;
  append: EncodedAppend;
}

type EncodedAppend = [
  conversationId: string,
  senderId: string,
  clientId: string,
  createdAt: number,
  body: string,
  replyTo: string | null,
];

export type WorkerCall = StorageCall | AppendCall;

export function encodeAppend(input: AppendMessageInput): EncodedAppend {
  const { conversationId, senderId, clientId, createdAt, body, replyTo } = input;
  return [conversationId, senderId, clientId, createdAt, JSON.stringify(body), replyTo ? JSON.stringify(replyTo) : null];
}

export function decodeAppend([conversationId, senderId, clientId, createdAt, body, replyTo]: EncodedAppend): {
  input: AppendMessageInput;
  serializedBody: string;
} {
  const input: AppendMessageInput = { conversationId, senderId, clientId, createdAt, body: JSON.parse(body) as Message['body'] };
  if (replyTo !== null) input.replyTo = JSON.parse(replyTo) as ReplyRef;
  return { input, serializedBody: body };
}

/**
 * An append's answer as it crosses back: a new message is its input's entry, so only the
 * id and seq it got cross; a duplicate (the original, which may differ) crosses whole.
 */
export type AppendAnswer = [id: string, seq: number] | AppendMessageResult;

export function appendAnswer(result: AppendMessageResult): AppendAnswer {
  return result.duplicate ? result : [result.message.id, result.message.seq];
}

/** The result the worker's storage gave, rebuilt from the input as the append decision builds its entry. */
export function appendResult(input: AppendMessageInput, answer: AppendAnswer): AppendMessageResult {
  if (!Array.isArray(answer)) return answer;
  const [id, seq] = answer;
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
