import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';

/** The im-chat server the React and Vue examples talk to: `npm start`'s, unless `VITE_IM_SERVER` says another. */
export const imServer = process.env['VITE_IM_SERVER'] ?? 'http://127.0.0.1:3000';

/**
 * Stands in for the host site's backend in the examples' dev and preview servers:
 * `GET /my-backend/im-token` answers `{ token }` for the signed-in user. Here the im-chat
 * server in demo mode signs it for Alice; a real backend signs its own user's token (see
 * docs/backend-integration.md). The page must be one of the server's `IM_CORS_ORIGINS`.
 */
export function exampleBackend(userId = 'alice'): Plugin {
  const answer = async (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.url !== '/my-backend/im-token') return next();
    response.setHeader('content-type', 'application/json');
    response.setHeader('cache-control', 'no-store');
    try {
      const demoToken = await fetch(`${imServer}/api/demo/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      response.statusCode = demoToken.status;
      response.end(await demoToken.text());
    } catch (error) {
      response.statusCode = 502;
      response.end(JSON.stringify({ error: `no im-chat server in demo mode at ${imServer}: ${(error as Error).message}` }));
    }
  };
  return {
    name: 'im-chat-example-backend',
    configureServer: (server) => void server.middlewares.use(answer),
    configurePreviewServer: (server) => void server.middlewares.use(answer),
  };
}
