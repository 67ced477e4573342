import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { AdminError } from './errors.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface IdempotencyContext {
  keys: IdempotencyKeys;
  /** Who asked, and the raw body, as the authentication step read them. */
  callerOf(request: FastifyRequest): string;
  rawBodyOf(request: FastifyRequest): string;
}

/**
 * `Idempotency-Key` on writes: the first answer (status and body) is stored, and a retry
 * with the same key and the same request gets it again, with `Idempotent-Replayed: true`,
 * without acting twice. The same key with another request is refused, and so is a retry
 * while the first is still running. Server failures (5xx) are not kept: a retry runs again.
 */
export function addIdempotency(app: FastifyInstance, context: IdempotencyContext): void {
  const claimed = new WeakMap<FastifyRequest, { scope: string; key: string }>();

  app.addHook('preHandler', async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined || !writeMethods.has(request.method)) return;
    if (typeof header !== 'string' || !/^[\x21-\x7E]{1,255}$/.test(header)) {
      throw new AdminError(400, 'invalid_payload', 'Idempotency-Key must be 1-255 printable ASCII characters');
    }
    const scope = context.callerOf(request);
    const { method, url } = request;
    const claim = await context.keys.claim({ scope, key: header, method, url, body: context.rawBodyOf(request) });
    if (claim.state === 'mismatch') {
      throw new AdminError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for another request');
    }
    if (claim.state === 'in_progress') {
      throw new AdminError(409, 'idempotency_in_progress', 'a request with this Idempotency-Key is still running');
    }
    if (claim.state === 'answered') {
      return reply
        .status(claim.status)
        .header('idempotent-replayed', 'true')
        .type('application/json; charset=utf-8')
        .send(claim.body);
    }
    claimed.set(request, { scope, key: header });
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = claimed.get(request);
    if (!claim) return payload;
    claimed.delete(request);
    await context.keys.finish(claim, { status: reply.statusCode, body: String(payload ?? '') });
    return payload;
  });

  const prune = () =>
    context.keys.prune().catch((error: unknown) => {
      app.log.warn({ err: error }, 'could not prune idempotency keys');
    });
  const timer = setInterval(prune, 60 * 60_000).unref();
  app.addHook('onReady', prune);
  app.addHook('onClose', async () => clearInterval(timer));
}

/** A message's clientId made from an Idempotency-Key: a retried send is deduplicated like a socket resend. */
export function clientIdFromKey(caller: string, key: string): string {
  return createHash('sha256').update(`${caller}\n${key}`).digest('base64url').slice(0, 32);
}
