import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeRetainerApplication } from '../../commands/changeRetainerApplication.js';
import { loadInvoiceViews } from '../../commands/readInvoices.js';
import { inTransaction } from '../../db/transaction.js';
import { principalOf } from '../auth.js';
import { presentInvoice } from '../presenters/invoice.js';
import { amount } from '../../schemas/common.js';
import type { RouteDeps } from './deps.js';

const params = z.object({ id: z.string(), retainerId: z.string() });
const body = z.strictObject({ amount: amount('nonNegative') });

/** R52/R53: change what a retainer gives a draft invoice. */
export function invoiceRetainerRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .patch(
      '/invoices/:id/retainers/:retainerId',
      { config: { permission: 'bill' }, schema: { tags: ['invoices'], params, body } },
      async (request) => {
        const { actor } = principalOf(request);
        return inTransaction(db, async (trx) => {
          const invoice = await changeRetainerApplication(
            { db: trx, actor },
            {
              invoiceId: request.params.id,
              retainerId: request.params.retainerId,
              amount: request.body.amount,
            },
          );
          const [view] = await loadInvoiceViews(trx, [invoice]);
          if (!view) throw new Error('changed invoice vanished');
          return presentInvoice(view);
        });
      },
    );
}
