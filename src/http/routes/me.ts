/**
 * `GET /me`: who the caller is, so the web UI can show only what the role may do. Any
 * valid token may ask. The ADMIN_TOKEN from the environment is no stored token: it answers
 * `tokenId: null, name: "ADMIN_TOKEN"` (docs/DECISIONS.md).
 */
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth.js';
import type { RouteDeps } from './deps.js';

export function meRoutes(app: FastifyInstance, _deps: RouteDeps): void {
  app.get(
    '/me',
    { config: { permission: 'read' }, schema: { tags: ['tokens'] } },
    async (request) => {
      const { tokenId, name, role } = principalOf(request);
      return { tokenId, name, role };
    },
  );
}
