import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTUAL_TYPES } from '../../domain/vocabulary.js';
import { listActuals } from '../../repositories/actuals.js';
import { presentLedgerRow } from '../presenters/actual.js';
import { isoDate, listSchemas } from '../schemas/common.js';
import type { RouteDeps } from './deps.js';

const ref = z.string().max(40).optional();

/** The ledger's filters (also the CLI export's options) and its API query. */
export const { filters: actualsFilters, query: actualsQuery } = listSchemas({
  contractId: ref,
  contractLineId: ref,
  customerId: ref,
  entryId: ref,
  invoiceId: ref,
  type: z.enum(ACTUAL_TYPES).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});

export function actualRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/actuals',
      { config: { permission: 'read' }, schema: { tags: ['ledger'], querystring: actualsQuery } },
      async (request) => {
        const page = await listActuals(db, request.query);
        return { items: page.items.map(presentLedgerRow), nextCursor: page.nextCursor };
      },
    );
}
