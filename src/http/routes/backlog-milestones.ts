import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { milestoneBacklog } from '../../views/milestone-backlog.js';
import { markRoutes } from './backlog-marks.js';
import type { RouteDeps } from './deps.js';

export function fixedPriceMilestoneBacklogRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['fixed-price milestones backlog'];

  r.get(
    '/backlog/fixed-price-milestones',
    { config: { permission: 'read' }, schema: { tags, querystring: milestoneBacklog.query } },
    async (request) => milestoneBacklog.read(db, request.query),
  );

  markRoutes(app, deps, { path: '/backlog/fixed-price-milestones', kind: 'MilestoneSplit', tags });
}
