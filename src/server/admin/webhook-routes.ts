import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminDeps } from './deps.js';
import { AdminError } from './errors.js';
import {
  CreatedWebhookResult,
  CreateWebhookBody,
  FailedDeliveriesResult,
  WebhookParams,
  WebhooksResult,
} from './schemas.js';

const tags = ['webhooks'];

export function addWebhookRoutes(app: FastifyInstance, { webhooks }: AdminDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/webhooks', {
    schema: {
      tags,
      operationId: 'createWebhook',
      summary: 'Register an endpoint for some events; the answer holds its signing secret',
      body: CreateWebhookBody,
      response: { 201: CreatedWebhookResult },
    },
    handler: async ({ body }, reply) => reply.status(201).send({ webhook: await webhooks.register(body) }),
  });

  api.get('/webhooks', {
    schema: { tags, operationId: 'listWebhooks', summary: 'The registered endpoints', response: { 200: WebhooksResult } },
    handler: async () => ({
      webhooks: webhooks.list().map(({ id, url, events, createdAt }) => ({ id, url, events, createdAt })),
    }),
  });

  api.delete('/webhooks/:webhookId', {
    schema: {
      tags,
      operationId: 'deleteWebhook',
      summary: 'Remove an endpoint and what is queued for it',
      params: WebhookParams,
      response: { 200: z.object({ deleted: z.literal(true) }) },
    },
    handler: async ({ params }) => {
      if (!(await webhooks.remove(params.webhookId))) throw new AdminError(404, 'not_found', 'no such webhook');
      return { deleted: true as const };
    },
  });

  api.get('/webhooks/:webhookId/failures', {
    schema: {
      tags,
      operationId: 'listWebhookFailures',
      summary: 'Deliveries given up on after every retry, newest first',
      params: WebhookParams,
      response: { 200: FailedDeliveriesResult },
    },
    handler: async ({ params }) => {
      const failed = await webhooks.failures(params.webhookId, 100);
      return { deliveries: failed.map((delivery) => ({ ...delivery, payload: JSON.parse(delivery.payload) as unknown })) };
    },
  });
}
