import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Id } from '../../protocol/schemas.js';
import type { DemoMode } from '../demo.js';
import { CommandError } from '../errors.js';
import { toValidationIssues } from '../validation.js';
import { errorBody } from './errors.js';

const DemoTokenRequest = z.strictObject({ userId: Id });

/** Demo mode only: who can be impersonated, and a token for any of them. */
export function addDemoRoutes(app: FastifyInstance, demo: DemoMode): void {
  app.get('/api/demo/users', async () => ({ users: demo.users }));

  app.post('/api/demo/token', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    const body = DemoTokenRequest.safeParse(request.body);
    if (!body.success) {
      const issues = toValidationIssues(body.error.issues);
      return reply
        .status(400)
        .send(errorBody('invalid_payload', 'expected { "userId": "<demo user id>" }', { issues }));
    }
    try {
      return await demo.issueToken(body.data.userId);
    } catch (error) {
      if (error instanceof CommandError && error.code === 'not_found') {
        return reply.status(404).send(errorBody('not_found', error.message));
      }
      throw error;
    }
  });
}
