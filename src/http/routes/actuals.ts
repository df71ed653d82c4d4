import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ledger } from '../../views/ledger.js';
import type { RouteDeps } from './deps.js';

export function actualRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/actuals',
      { config: { permission: 'read' }, schema: { tags: ['ledger'], querystring: ledger.query } },
      async (request) => ledger.list(db, request.query),
    );
}
