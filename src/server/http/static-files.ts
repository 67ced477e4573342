import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export interface StaticDirs {
  /** Demo pages, served at /demo/ with / redirecting there. */
  demoDir?: string;
  /** The built widget, served at /dist/ for any site to load. */
  distDir?: string;
}

export function addStaticFiles(app: FastifyInstance, { demoDir, distDir }: StaticDirs): void {
  if (demoDir) {
    app.register(fastifyStatic, {
      root: demoDir,
      prefix: '/demo/',
      redirect: true,
      decorateReply: false,
    });
    // A redirect rather than serving index.html at /, so relative links in the pages work.
    app.get('/', (_request, reply) => reply.redirect('/demo/'));
  }
  if (distDir) {
    app.register(fastifyStatic, {
      root: distDir,
      prefix: '/dist/',
      decorateReply: false,
      setHeaders(reply) {
        reply.header('Access-Control-Allow-Origin', '*');
        reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    });
  }
}
