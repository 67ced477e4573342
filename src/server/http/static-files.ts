import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.js';

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
        // The emoji data is revalidated by its ETag from pages on other origins.
        reply.header('Access-Control-Expose-Headers', 'ETag');
        reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
      },
    });
    // The push service worker for the demo pages: a host serves it from its own origin,
    // and from the root, so that its scope covers the pages.
    app.get('/im-chat-sw.js', async (_request, reply) => {
      const script = await readFile(join(distDir, 'im-chat-sw.js')).catch(() => null);
      if (!script) return reply.status(404).send(errorBody('not_found', 'the widget is not built'));
      return reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').send(script);
    });
  }
}
