/**
 * What a decision function returns: the writes that carry out an allowed command (and what
 * the caller is told), or why the command is refused. Decisions are pure: they see a
 * snapshot the storage loaded and the time, and say what should change; a backend applies
 * the writes in the transaction it loaded the snapshot in.
 */
import type { ErrorCode } from '../protocol/index.js';
import { CommandError } from './errors.js';

export type Decision<Write, Result = undefined> =
  | { ok: true; writes: Write[]; result: Result }
  | { ok: false; error: CommandError };

export function allow<Write>(writes: Write[]): Decision<Write>;
export function allow<Write, Result>(writes: Write[], result: Result): Decision<Write, Result>;
export function allow<Write, Result>(writes: Write[], result?: Result): Decision<Write, Result | undefined> {
  return { ok: true, writes, result };
}

export function refuse(code: ErrorCode, message: string, details?: CommandError['details']): Decision<never, never> {
  return { ok: false, error: new CommandError(code, message, details) };
}

/** The writes and result of an allowed decision; a refusal throws its error (rolling back the transaction). */
export function settle<Write, Result>(decision: Decision<Write, Result>): { writes: Write[]; result: Result } {
  if (!decision.ok) throw decision.error;
  return decision;
}
