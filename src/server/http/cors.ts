import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOriginAllowed, type AllowedOrigins } from '../origin.js';

/**
 * CORS for the HTTP API the widget calls from the host's page: only the allowed origins,
 * never with cookies (requests carry tokens). Returns false for an origin not allowed.
 */
export function allowCors(
  request: FastifyRequest,
  reply: FastifyReply,
  allowed: AllowedOrigins,
  method: string,
): boolean {
  const { origin } = request.headers;
  reply.header('Vary', 'Origin');
  if (origin === undefined) return true;
  if (!isOriginAllowed(request.raw, allowed)) return false;
  reply
    .header('Access-Control-Allow-Origin', origin)
    .header('Access-Control-Allow-Methods', method)
    .header('Access-Control-Allow-Headers', 'Authorization, Content-Type')
    .header('Access-Control-Max-Age', '600')
    .header('Access-Control-Expose-Headers', 'Content-Disposition, Content-Range');
  return true;
}
