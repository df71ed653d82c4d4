/**
 * The two retainer views (spec §1, §5): Retainers and Advances, and Available Retainers and
 * Advances (R51: posted, with an amount left to draw). Both take the same filters and show
 * the same rows; the route and the CLI export both read them from here.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { BILLING_STATUSES, RETAINER_KINDS } from '../domain/vocabulary.js';
import { activeInvoiceOfItems } from '../repositories/invoices.js';
import {
  listRetainers,
  retainerTotals,
  type RetainerWithCurrency,
} from '../repositories/retainers.js';
import { idFilter, listSchemas, repeatable, type BacklogView, type PageRequest } from './lists.js';
import { presentRetainer } from './presenters/retainer.js';
import { isoDate } from '../schemas/common.js';
import { presentTotals } from './totals.js';
import { lookUpNames, named, namedIdsOf } from './names.js';

/** Filters of both views (also the CLI export's options) and their API query. */
export const { filters: retainerBacklogFilters, query: retainerBacklogQuery } = listSchemas({
  contractId: idFilter,
  customerId: idFilter,
  kind: z.enum(RETAINER_KINDS).optional(),
  billingStatus: repeatable(z.enum(BILLING_STATUSES)),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});

export type RetainerBacklogFilters = z.output<typeof retainerBacklogFilters>;

/** One page of rows as both views show them, naming the invoice a retainer is on. */
async function presentRows(db: Kysely<DB>, rows: readonly RetainerWithCurrency[]) {
  const [invoices, names] = await Promise.all([
    activeInvoiceOfItems(
      db,
      'Retainer',
      rows.map((row) => ({ contractId: row.contract_id, id: row.id })),
    ),
    lookUpNames(db, rows.map(namedIdsOf)),
  ]);
  return rows.map((row) => named(presentRetainer(row, invoices.get(row.id)), names));
}

export type RetainerBacklogItem = Awaited<ReturnType<typeof presentRows>>[number];

function retainerView(availableOnly: boolean) {
  async function list(db: Kysely<DB>, q: RetainerBacklogFilters & PageRequest) {
    const page = await listRetainers(db, { ...q, availableOnly });
    return { items: await presentRows(db, page.items), nextCursor: page.nextCursor };
  }
  return {
    filters: retainerBacklogFilters,
    query: retainerBacklogQuery,
    list,
    async read(db: Kysely<DB>, q: RetainerBacklogFilters & PageRequest) {
      const [page, totals] = await Promise.all([
        list(db, q),
        retainerTotals(db, { ...q, availableOnly }),
      ]);
      // We add availableAmount to the totals: the number the Available view is about.
      return { ...page, totals: presentTotals(totals, ['availableAmount']) };
    },
  } satisfies BacklogView<typeof retainerBacklogFilters, RetainerBacklogItem>;
}

export const retainerBacklog = retainerView(false);
/** R51: only invoiced (posted) retainers and advances with an unused amount. */
export const availableRetainerBacklog = retainerView(true);
