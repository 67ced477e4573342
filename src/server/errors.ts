import type { ErrorCode, ProtocolError, ValidationIssue } from '../protocol/index.js';

/**
 * An error a client may meet: it reaches the client as `{ ok: false, error }` with its
 * stable `code`. Anything else thrown by a handler is logged and reported as `internal`.
 *
 * @example
 * throw new CommandError('forbidden', 'not a member of this conversation');
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryAfterMs?: number; issues?: ValidationIssue[] } = {},
  ) {
    super(message);
  }

  toProtocolError(): ProtocolError {
    return { code: this.code, message: this.message, ...this.details };
  }
}
