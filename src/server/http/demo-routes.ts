import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Id } from '../../protocol/schemas.js';
import type { DemoGroup } from '../demo-group.js';
import type { DemoMode } from '../demo.js';
import { CommandError } from '../errors.js';
import { toValidationIssues } from '../validation.js';
import { errorBody } from './errors.js';

const DemoTokenRequest = z.strictObject({ userId: Id });

/** Demo mode only: who can be impersonated, a token for any of them, the demo group's link. */
export function addDemoRoutes(app: FastifyInstance, demo: DemoMode, group: DemoGroup): void {
  app.get('/api/demo/users', async () => ({ users: demo.users, agents: demo.agents }));

  app.get('/api/demo/group-invite', async (_request, reply) => {
    reply.header('Cache-Control', 'no-store');
    try {
      return await group.invite();
    } catch (error) {
      if (error instanceof CommandError) {
        return reply.status(404).send(errorBody(error.code, error.message));
      }
      throw error;
    }
  });

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
