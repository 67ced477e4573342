import type { ProtocolError, ValidationIssue } from '../protocol/index.js';

/** Failures that happen on this side of the wire. */
export const LocalErrorCode = {
  /** Not connected: the command was not sent. */
  Offline: 'offline',
  /** Sent, but no ack arrived in time: the server may or may not have applied it. */
  Timeout: 'timeout',
  /** The token could not be read, or the token provider failed. */
  TokenUnavailable: 'token_unavailable',
  /** The user (or the integrator's AbortSignal) cancelled it, e.g. an upload. */
  Cancelled: 'cancelled',
} as const;

export type LocalErrorCode = (typeof LocalErrorCode)[keyof typeof LocalErrorCode];

/** An error a user or integrator may meet: a stable code plus a readable message. */
export class ChatError extends Error {
  override name = 'ChatError';
  readonly retryAfterMs: number | undefined;
  readonly issues: ValidationIssue[] | undefined;

  constructor(
    readonly code: ProtocolError['code'] | LocalErrorCode,
    message: string,
    details: { retryAfterMs?: number; issues?: ValidationIssue[] } = {},
  ) {
    super(message);
    this.retryAfterMs = details.retryAfterMs;
    this.issues = details.issues;
  }

  static from(error: ProtocolError): ChatError {
    return new ChatError(error.code, error.message, error);
  }

  toProtocolError(): ProtocolError {
    const error: ProtocolError = { code: this.code as ProtocolError['code'], message: this.message };
    if (this.retryAfterMs !== undefined) error.retryAfterMs = this.retryAfterMs;
    return error;
  }
}
