import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { availableRetainerBacklog, retainerBacklog } from '../../views/retainer-backlog.js';
import { markRoutes } from './backlog-marks.js';
import type { RouteDeps } from './deps.js';

/** The two retainer backlog views (spec §1) and their mark ready / not ready actions (R31). */
export function retainerBacklogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retainers and advances backlog'];

  for (const [path, view] of [
    ['/backlog/retainers-and-advances', retainerBacklog],
    ['/backlog/available-retainers-and-advances', availableRetainerBacklog],
  ] as const) {
    r.get(
      path,
      { config: { permission: 'read' }, schema: { tags, querystring: view.query } },
      async (request) => view.read(db, request.query),
    );
  }

  markRoutes(app, deps, { path: '/backlog/retainers-and-advances', kind: 'Retainer', tags });
}
