/**
 * The Time and Material Billing Backlog (spec §1, §5): its filters, its rows as the API
 * shows them and the totals of its whole filter. The route and the CLI export both read it
 * from here.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import {
  BILLING_STATUSES,
  NTE_STATUSES,
  ON_INVOICE,
  TRANSACTION_CLASSES,
} from '../domain/vocabulary.js';
import type { ActualWithCurrency } from '../repositories/actuals.js';
import { listTmBacklog, readTmBacklog, TM_SORTS } from '../repositories/backlog.js';
import { activeInvoiceOfItems } from '../repositories/invoices.js';
import { workDetailOfActuals } from '../repositories/invoice-work-detail.js';
import { idFilter, listSchemas, repeatable, type BacklogView, type PageRequest } from './lists.js';
import { presentBacklogRow } from './presenters/actual.js';
import { isoDate } from '../schemas/common.js';
import { presentTotals } from './totals.js';

/**
 * The view's filters (the CLI export takes them as options) and its API query. A malformed
 * cursor, or one given out for another sort, is refused by the list itself (400).
 */
export const { filters: tmBacklogFilters, query: tmBacklogQuery } = listSchemas({
  contractId: idFilter,
  contractLineId: idFilter,
  customerId: idFilter,
  billingStatus: repeatable(z.enum(BILLING_STATUSES)),
  nteStatus: repeatable(z.enum(NTE_STATUSES)),
  transactionClass: repeatable(z.enum(TRANSACTION_CLASSES)),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  sort: z.enum(TM_SORTS).default('date'),
});

export type TmBacklogFilters = z.output<typeof tmBacklogFilters>;

/** One page of rows as the view shows them. */
async function presentRows(db: Kysely<DB>, rows: readonly ActualWithCurrency[]) {
  // Rows on a draft or posted invoice name it (spec §5 `invoiceId`); a page of unbilled
  // rows needs no lookup.
  const onInvoice: readonly string[] = ON_INVOICE;
  const invoices = await activeInvoiceOfItems(
    db,
    'Actual',
    rows
      .filter((row) => row.billing_status !== null && onInvoice.includes(row.billing_status))
      .map((row) => ({ contractId: row.contract_id, id: row.id })),
  );
  // R77: the work behind each row, from its entry.
  const work = await workDetailOfActuals(db, rows);
  return rows.map((row) =>
    presentBacklogRow(
      { ...row, backlog_invoice_id: invoices.get(row.id) ?? null },
      work.get(row.id),
    ),
  );
}

export type TmBacklogRow = Awaited<ReturnType<typeof presentRows>>[number];

export const tmBacklog = {
  filters: tmBacklogFilters,
  query: tmBacklogQuery,
  /** A page without totals: what an export reads page after page. */
  async list(db: Kysely<DB>, q: TmBacklogFilters & PageRequest) {
    const page = await listTmBacklog(db, q);
    return { items: await presentRows(db, page.items), nextCursor: page.nextCursor };
  },
  /** A page and the totals of the whole filter: one statement (src/repositories/backlog.ts). */
  async read(db: Kysely<DB>, q: TmBacklogFilters & PageRequest) {
    const { page, totals } = await readTmBacklog(db, q);
    return {
      items: await presentRows(db, page.items),
      nextCursor: page.nextCursor,
      totals: presentTotals(totals),
    };
  },
} satisfies BacklogView<typeof tmBacklogFilters, TmBacklogRow>;
