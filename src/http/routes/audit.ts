import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditEvents } from '../../repositories/audit.js';
import { idFilter, listSchemas } from '../../views/lists.js';
import type { RouteDeps } from './deps.js';

export function auditRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit-events',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        querystring: listSchemas({
          entityId: idFilter,
          entityType: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
          actor: z.string().max(100).optional(),
          contractId: idFilter,
          order: z.enum(['asc', 'desc']).default('asc'),
        }).query,
      },
    },
    async (request) => listAuditEvents(db, request.query),
  );
}
