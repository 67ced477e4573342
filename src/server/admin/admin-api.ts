/**
 * The server-to-server admin API, `/api/admin/v1/…`: JSON over HTTP for the host's
 * backend, authenticated by an API key or an HMAC signature on every request, validated
 * with the protocol's schemas and carried out by the same domain code as socket commands.
 * Its OpenAPI 3.1 document is served at `/api/admin/v1/openapi.json` (and kept in the
 * repository as `openapi.json` next to this file).
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdempotencyKeys } from '../idempotency/idempotency-keys.js';
import { AdminAuthenticator, type AdminCredentials } from './credentials.js';
import type { AdminDeps } from './deps.js';
import { addAdminErrorReplies, AdminError } from './errors.js';
import { addGroupRoutes } from './group-routes.js';
import { addIdempotency } from './idempotency.js';
import { addMessageRoutes } from './message-routes.js';
import { ErrorResult, sharedSchemas } from './schemas.js';
import { withoutUnusedSchemas } from './unused-schemas.js';
import { addUserRoutes } from './user-routes.js';
import { addWebhookRoutes } from './webhook-routes.js';

export const adminPrefix = '/api/admin/v1';
export const openApiPath = `${adminPrefix}/openapi.json`;

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .max(255)
    .optional()
    .describe('Makes a retry of this write safe: the first answer is stored and given again.'),
});
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type AdminApiDeps = Omit<AdminDeps, 'callerOf'> & {
  credentials: AdminCredentials;
  /** Where the answers to requests with an `Idempotency-Key` are kept. */
  idempotencyKeys: IdempotencyKeys;
};

/** Adds the admin API under `/api/admin/v1` when credentials are configured; without them it does not exist. */
export function addAdminApi(app: FastifyInstance, deps: AdminApiDeps): void {
  const authenticator = new AdminAuthenticator(deps.credentials, deps.domain.deps.clock);
  if (!authenticator.enabled) return;
  const rawBodies = new WeakMap<FastifyRequest, string>();
  const callers = new WeakMap<FastifyRequest, string>();
  const callerOf = (request: FastifyRequest) => {
    const caller = callers.get(request);
    if (caller === undefined) throw new Error('an admin handler ran before authentication');
    return caller;
  };

  void app.register(
    async (admin) => {
      admin.setValidatorCompiler(validatorCompiler);
      admin.setSerializerCompiler(serializerCompiler);
      addAdminErrorReplies(admin);
      // Signatures cover the exact bytes sent: keep them.
      admin.removeContentTypeParser('application/json');
      admin.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        const text = String(body);
        rawBodies.set(request, text);
        try {
          done(null, text === '' ? undefined : (JSON.parse(text) as unknown));
        } catch {
          done(new AdminError(400, 'invalid_payload', 'the body is not valid JSON'), undefined);
        }
      });
      admin.addHook('onRoute', (route) => {
        const methods = [route.method].flat();
        if (route.schema && methods.some((method) => writeMethods.has(method))) {
          route.schema = { headers: IdempotencyHeaders, ...route.schema, response: withErrors(route.schema.response) };
        } else if (route.schema && !route.schema.hide) {
          route.schema = { ...route.schema, response: withErrors(route.schema.response) };
        }
      });
      await admin.register(fastifySwagger, {
        openapi: {
          openapi: '3.1.0',
          info: {
            title: 'im-chat admin API',
            version: '1.0.0',
            description:
              'Server-to-server API for the host site\'s backend. Authenticate each request with ' +
              '`Authorization: Bearer <API key>` (IM_ADMIN_API_KEYS), or sign it (IM_ADMIN_HMAC_SECRET): ' +
              '`X-Im-Timestamp: <unix seconds>` and `X-Im-Signature: v1=<hex HMAC-SHA256 of ' +
              '"<timestamp>.<METHOD>.<path and query>.<raw body>">`, within 5 minutes, each signature once. ' +
              'Errors are `{ "error": { "code", "message", "issues"? } }` with the protocol\'s codes.',
            license: { name: 'MIT', identifier: 'MIT' },
          },
          // Each deployment has its own address: generated clients take it as a variable.
          servers: [
            {
              url: '{origin}',
              description: 'Your im-chat server',
              variables: { origin: { default: 'http://localhost:3000', description: 'Its scheme, host and port' } },
            },
          ],
          components: {
            securitySchemes: {
              apiKey: { type: 'http', scheme: 'bearer' },
              signature: { type: 'apiKey', in: 'header', name: 'X-Im-Signature' },
            },
          },
          security: [{ apiKey: [] }, { signature: [] }],
        },
        transform: createJsonSchemaTransform({ schemaRegistry: sharedSchemas }),
        transformObject: (document) =>
          withoutUnusedSchemas(createJsonSchemaTransformObject({ schemaRegistry: sharedSchemas })(document)),
      });

      admin.addHook('preValidation', async (request) => {
        if (request.routeOptions.config.public === true) return;
        callers.set(request, authenticator.authenticate(request, rawBodies.get(request) ?? '').id);
      });
      addIdempotency(admin, {
        keys: deps.idempotencyKeys,
        callerOf,
        rawBodyOf: (request) => rawBodies.get(request) ?? '',
      });

      const routeDeps: AdminDeps = { ...deps, callerOf };
      addUserRoutes(admin, routeDeps);
      addGroupRoutes(admin, routeDeps);
      addMessageRoutes(admin, routeDeps);
      addWebhookRoutes(admin, routeDeps);

      admin.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => admin.swagger());
    },
    { prefix: adminPrefix },
  );
}

function withErrors(response: unknown): Record<string, unknown> {
  return { ...(response as Record<string, unknown> | undefined), '4XX': ErrorResult, '5XX': ErrorResult };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no admin credentials (the OpenAPI document). */
    public?: boolean;
  }
}
