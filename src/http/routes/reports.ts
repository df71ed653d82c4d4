import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { backlogAgeing, backlogAgeingQuery } from '../../views/ageing.js';
import type { RouteDeps } from './deps.js';

export function reportRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/reports/backlog-ageing',
    {
      config: { permission: 'read' },
      schema: { tags: ['reports'], querystring: backlogAgeingQuery },
    },
    async (request) => backlogAgeing(db, request.query),
  );
}
