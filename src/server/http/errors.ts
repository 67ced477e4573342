import type { FastifyInstance } from 'fastify';
import type { ErrorCode } from '../../protocol/index.js';

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
