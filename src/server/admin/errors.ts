import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, ValidationIssue } from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { httpStatusOf } from '../http/errors.js';

/** Codes of the admin API besides the protocol's own. */
export type AdminErrorCode = ErrorCode | 'idempotency_key_reused' | 'idempotency_in_progress';

/** An admin API refusal with its HTTP status. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: AdminErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
  }
}

/**
 * Refusals about the state of things (a dismissed group, a muted sender...) are conflicts.
 * A blocked user is one too here: the backend's credentials are fine, the user's state is
 * what refuses (a user's own request with their token is forbidden instead).
 */
const adminStatusOf: Partial<Record<ErrorCode, number>> = { ...httpStatusOf, user_blocked: 409 };

export function statusOf(code: ErrorCode): number {
  return adminStatusOf[code] ?? (code === 'internal' ? 500 : 409);
}

export function errorBody(code: string, message: string, issues?: ValidationIssue[]) {
  return { error: { code, message, ...(issues ? { issues } : {}) } };
}

/** Every admin error as `{ error: { code, message, issues? } }`, as on the socket. */
export function addAdminErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((error: Error & { statusCode?: number; validationContext?: string }, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext === 'body' ? '' : `${error.validationContext}.`;
      const issues = error.validation.flatMap((issue): ValidationIssue[] => {
        const path = `${where}${issue.instancePath.slice(1).replaceAll('/', '.')}`.replace(/\.$/, '');
        const keys = (issue.params as { keys?: unknown }).keys;
        if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
          return keys.map((key) => ({ path: path ? `${path}.${String(key)}` : String(key), message: 'unknown field' }));
        }
        return [{ path, message: issue.message ?? 'invalid' }];
      });
      const first = issues[0];
      const message = first ? `invalid payload: ${first.path || 'body'} ${first.message}` : 'invalid payload';
      return reply.status(400).send(errorBody('invalid_payload', message, issues.slice(0, 20)));
    }
    if (error instanceof AdminError) return reply.status(error.status).send(errorBody(error.code, error.message, error.issues));
    if (error instanceof CommandError) {
      const { code, message, issues } = error.toProtocolError();
      return reply.status(statusOf(code)).send(errorBody(code, message, issues));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody('invalid_payload', error.message));
    request.log.error({ err: error, url: request.url }, 'admin request failed');
    return reply.status(500).send(errorBody('internal', 'the server failed'));
  });
}
