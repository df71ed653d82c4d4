import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import { reevaluateNte } from '../../commands/reevaluateNte.js';
import { resetNte } from '../../commands/resetNte.js';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import type { ActualWithCurrency } from '../../repositories/actuals.js';
import { readTmBacklog } from '../../repositories/backlog.js';
import { principalOf } from '../auth.js';
import { activeInvoiceOfItems } from '../../repositories/invoices.js';
import { presentBacklogRow } from '../presenters/actual.js';
import { presentTotals } from '../presenters/backlog.js';
import { tmBacklogQuery } from '../schemas/backlog-tm.js';
import { bulkIds } from '../schemas/common.js';
import type { RouteDeps } from './deps.js';

/** One page of rows as the view shows them (the CLI export writes the same). */
export async function presentTmBacklogRows(db: Kysely<DB>, rows: readonly ActualWithCurrency[]) {
  // Rows on a draft or posted invoice name it (spec §5 `invoiceId`); a page of unbilled
  // rows needs no lookup.
  const invoices = await activeInvoiceOfItems(
    db,
    'Actual',
    rows
      .filter(
        (row) =>
          row.billing_status === 'CustomerInvoiceCreated' ||
          row.billing_status === 'CustomerInvoicePosted',
      )
      .map((row) => ({ contractId: row.contract_id, id: row.id })),
  );
  return rows.map((row) =>
    presentBacklogRow({ ...row, backlog_invoice_id: invoices.get(row.id) ?? null }),
  );
}

export function timeAndMaterialBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['time-and-material backlog'];

  r.get(
    '/backlog/time-and-material',
    { config: { permission: 'read' }, schema: { tags, querystring: tmBacklogQuery } },
    async (request) => {
      const q = request.query;
      const { page, totals } = await readTmBacklog(db, q);
      return {
        items: await presentTmBacklogRows(db, page.items),
        nextCursor: page.nextCursor,
        totals: presentTotals(totals),
      };
    },
  );

  for (const [path, action] of [
    ['/backlog/time-and-material/mark-ready', 'markReady'],
    ['/backlog/time-and-material/mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          markItems({ db: trx, actor }, 'Actual', action, request.body.ids),
        );
        return { results };
      },
    );
  }

  // R25, R26: the billing team decides which work consumes a cap.
  for (const [path, command] of [
    ['/backlog/time-and-material/reset-nte', resetNte],
    ['/backlog/time-and-material/reevaluate-nte', reevaluateNte],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          command({ db: trx, actor }, request.body.ids),
        );
        return { results };
      },
    );
  }
}
