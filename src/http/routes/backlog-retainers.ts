import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { markItems } from '../../commands/backlogItems/statusMove.js';
import type { DB } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { activeInvoiceOfItems } from '../../repositories/invoices.js';
import {
  listRetainers,
  retainerTotals,
  type RetainerWithCurrency,
} from '../../repositories/retainers.js';
import { principalOf } from '../auth.js';
import { presentRetainer, presentRetainerTotals } from '../presenters/retainer.js';
import { bulkIds } from '../schemas/common.js';
import { retainerBacklogQuery } from '../schemas/retainers.js';
import type { RouteDeps } from './deps.js';

/** One page of rows as both views show them (the CLI export writes the same). */
export async function presentRetainerBacklogRows(
  db: Kysely<DB>,
  rows: readonly RetainerWithCurrency[],
) {
  const invoices = await activeInvoiceOfItems(
    db,
    'Retainer',
    rows.map((row) => ({ contractId: row.contract_id, id: row.id })),
  );
  return rows.map((row) => presentRetainer(row, invoices.get(row.id)));
}

/** The two retainer backlog views (spec §1) and their mark ready / not ready actions (R31). */
export function retainerBacklogRoutes(app: FastifyInstance, { db }: RouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['retainers and advances backlog'];

  for (const [path, availableOnly] of [
    ['/backlog/retainers-and-advances', false],
    // R51: only invoiced (posted) retainers with an unused amount.
    ['/backlog/available-retainers-and-advances', true],
  ] as const) {
    r.get(
      path,
      { config: { permission: 'read' }, schema: { tags, querystring: retainerBacklogQuery } },
      async (request) => {
        const q = { ...request.query, availableOnly };
        const [page, totals] = await Promise.all([listRetainers(db, q), retainerTotals(db, q)]);
        return {
          items: await presentRetainerBacklogRows(db, page.items),
          nextCursor: page.nextCursor,
          totals: presentRetainerTotals(totals),
        };
      },
    );
  }

  for (const [path, action] of [
    ['/backlog/retainers-and-advances/mark-ready', 'markReady'],
    ['/backlog/retainers-and-advances/mark-not-ready', 'markNotReady'],
  ] as const) {
    r.post(
      path,
      { config: { permission: 'bill' }, schema: { tags, body: bulkIds } },
      async (request) => {
        const { actor } = principalOf(request);
        const results = await inTransaction(db, (trx) =>
          markItems({ db: trx, actor }, 'Retainer', action, request.body.ids),
        );
        return { results };
      },
    );
  }
}
