import type { FastifyInstance } from 'fastify';

/** The demo pages and the widget run without inline script or style, so this holds. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "frame-ancestors 'self'",
].join('; ');

export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    const contentType = reply.getHeader('content-type');
    if (typeof contentType === 'string' && contentType.startsWith('text/html')) {
      reply.header('Content-Security-Policy', contentSecurityPolicy);
      reply.header('Referrer-Policy', 'same-origin');
    }
    return payload;
  });
}
