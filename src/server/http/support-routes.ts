/**
 * Anonymous visitors of support mode get their identity here (the widget calls these
 * from the host's page): `POST /api/support/visitors` makes one, and
 * `POST /api/support/visitors/token` turns it into a short-lived token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Id } from '../../protocol/schemas.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { AllowedOrigins } from '../origin.js';
import type { KeyedLimiter, RateLimitOptions } from '../rate-limit.js';
import type { Visitors } from '../support/visitors.js';
import { toValidationIssues } from '../validation.js';
import { allowCors } from './cors.js';
import { failWith } from './errors.js';

export interface SupportRouteDeps {
  visitors: Visitors;
  clock: Clock;
  allowedOrigins: AllowedOrigins;
  /** New visitors per client address. */
  visitorLimit: RateLimitOptions;
  /** A limit per key: in memory, or shared by the processes of a scaled-out server. */
  limiter(name: string, options: RateLimitOptions): KeyedLimiter;
}

/** New visitors per address: plenty for people behind one address, little for a script. */
export const defaultVisitorRateLimit: RateLimitOptions = { capacity: 20, refillPerSecond: 1 / 30 };
const tokenRateLimit: RateLimitOptions = { capacity: 60, refillPerSecond: 1 };

const NewVisitorRequest = z.strictObject({});
const TokenRequest = z.strictObject({ visitorId: Id, secret: z.string().min(1).max(128) });

export function addSupportRoutes(app: FastifyInstance, deps: SupportRouteDeps): void {
  const creations = deps.limiter('visitor', deps.visitorLimit);
  const tokens = deps.limiter('visitor-token', tokenRateLimit);

  for (const path of ['/api/support/visitors', '/api/support/visitors/token']) {
    app.options(path, async (request, reply) => {
      allowCors(request, reply, deps.allowedOrigins, 'POST');
      return reply.status(204).send();
    });
  }

  app.post('/api/support/visitors', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    try {
      await admit(request, reply, creations);
      parse(NewVisitorRequest, request.body ?? {}, 'expected an empty JSON object');
      return reply.status(201).send(await deps.visitors.create());
    } catch (error) {
      if (error instanceof CommandError) return failWith(reply, error);
      throw error;
    }
  });

  app.post('/api/support/visitors/token', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    try {
      await admit(request, reply, tokens);
      const { visitorId, secret } = parse(TokenRequest, request.body, 'expected { "visitorId", "secret" }');
      return await deps.visitors.token(visitorId, secret);
    } catch (error) {
      if (error instanceof CommandError) return failWith(reply, error);
      throw error;
    }
  });

  async function admit(
    request: FastifyRequest,
    reply: Parameters<typeof allowCors>[1],
    limit: KeyedLimiter,
  ): Promise<void> {
    if (!allowCors(request, reply, deps.allowedOrigins, 'POST')) {
      throw new CommandError('origin_not_allowed', 'this origin may not use support');
    }
    const waitMs = await limit.take(request.ip);
    if (waitMs > 0) {
      throw new CommandError('rate_limited', 'too many requests from this address', { retryAfterMs: waitMs });
    }
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown, expected: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CommandError('invalid_payload', expected, { issues: toValidationIssues(parsed.error.issues) });
  }
  return parsed.data;
}
