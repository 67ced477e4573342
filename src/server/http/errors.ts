import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ErrorCode } from '../../protocol/index.js';
import type { CommandError } from '../errors.js';

/** HTTP errors use the protocol's shape: `{ error: { code, message } }`. */
export function addErrorReplies(app: FastifyInstance): void {
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(errorBody('not_found', 'nothing here')),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody('invalid_payload', error.message));
    }
    request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.status(500).send(errorBody('internal', 'the server failed'));
  });
}

export function errorBody(code: ErrorCode, message: string, extra: object = {}) {
  return { error: { code, message, ...extra } };
}

/** The HTTP status of each code that has one of its own. */
export const httpStatusOf: Partial<Record<ErrorCode, number>> = {
  invalid_payload: 400,
  unauthenticated: 401,
  token_expired: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  user_blocked: 403,
  not_found: 404,
  invite_invalid: 404,
  visitor_claimed: 410,
  user_deleted: 410,
  file_too_large: 413,
  file_type_not_allowed: 415,
  // The request is refused for its size (as 413 means), not the server short of space (507).
  quota_exceeded: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Answers a CommandError with its HTTP status and the protocol's error body. */
export function failWith(reply: FastifyReply, error: CommandError, extra: object = {}) {
  const { code, message, ...details } = error.toProtocolError();
  // What HTTP clients and proxies understand, beside the body's milliseconds.
  if (details.retryAfterMs !== undefined) reply.header('Retry-After', Math.ceil(details.retryAfterMs / 1000));
  return reply.status(httpStatusOf[code] ?? 500).send(errorBody(code, message, { ...details, ...extra }));
}
