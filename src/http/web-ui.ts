/**
 * The web UI (web/, built to web/dist by `npm run build:web`) served by the same process.
 * Files come from the build directory; any other GET outside /api is the single-page app's
 * index.html (its router reads the path). Paths under /api never fall back: a missing API
 * route stays a problem+json 404.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_WEB_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../web/dist',
);

/** Answers true when it served the app's shell for a path that names no file. */
export type NotFoundFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

export function hasWebBuild(dir: string): boolean {
  return existsSync(path.join(dir, 'index.html'));
}

export async function installWebUi(app: FastifyInstance, dir: string): Promise<NotFoundFallback> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    // Hashed asset names never change content; the shell must always be revalidated.
    setHeaders: (res, filePath) => {
      res.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  return (request, reply) => {
    const urlPath = request.url.split('?')[0] ?? '/';
    if (
      !['GET', 'HEAD'].includes(request.method) ||
      urlPath === '/api' ||
      urlPath.startsWith('/api/')
    )
      return false;
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}
