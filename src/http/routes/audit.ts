import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditEvents } from '../../repositories/audit.js';
import { listQuery } from '../schemas/common.js';
import type { RouteDeps } from './deps.js';

export function auditRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/audit-events',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['audit'],
        querystring: z.strictObject({
          entityId: z.string().max(100).optional(),
          entityType: z.string().max(100).optional(),
          ...listQuery,
        }),
      },
    },
    async (request) => listAuditEvents(db, request.query),
  );
}
