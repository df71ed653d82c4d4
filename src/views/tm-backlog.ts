/**
 * The Time and Material Billing Backlog (spec §1, §5): its filters, its rows as the API
 * shows them and the totals of its whole filter. The route and the CLI export both read it
 * from here.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { BILLING_STATUSES, NTE_STATUSES, TRANSACTION_CLASSES } from '../domain/vocabulary.js';
import {
  listTmBacklog,
  readTmBacklog,
  TM_SORTS,
  type TmBacklogPageRow,
} from '../repositories/backlog.js';
import type { WorkDetail } from '../repositories/invoice-work-detail.js';
import { idFilter, listSchemas, repeatable, type BacklogView, type PageRequest } from './lists.js';
import { presentBacklogRow } from './presenters/actual.js';
import { isoDate } from '../schemas/common.js';
import { presentTotals } from './totals.js';

/**
 * The view's filters (the CLI export takes them as options) and its API query. A malformed
 * cursor, or one given out for another sort, is refused by the list itself (400).
 */
/** The view's filters alone (the ageing report takes the same, src/views/ageing.ts). */
export const tmBacklogFilterShape = {
  contractId: idFilter,
  contractLineId: idFilter,
  customerId: idFilter,
  billingStatus: repeatable(z.enum(BILLING_STATUSES)),
  nteStatus: repeatable(z.enum(NTE_STATUSES)),
  transactionClass: repeatable(z.enum(TRANSACTION_CLASSES)),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
};

export const { filters: tmBacklogFilters, query: tmBacklogQuery } = listSchemas({
  ...tmBacklogFilterShape,
  sort: z.enum(TM_SORTS).default('date'),
});

export type TmBacklogFilters = z.output<typeof tmBacklogFilters>;

/** R77: the work detail the page read from the row's entry. */
function workOf(row: TmBacklogPageRow): WorkDetail | undefined {
  if (!row.work) return undefined;
  const [resource = null, role = null, category = null, description = null] = JSON.parse(
    row.work,
  ) as (string | null)[];
  return { resource, role, category, description };
}

/** One page of rows as the view shows them: names and work detail were read with the rows. */
function presentRows(rows: readonly TmBacklogPageRow[]) {
  return rows.map((row) =>
    presentBacklogRow(row, workOf(row), {
      contractName: row.contract_name,
      contractLineName: row.contract_line_name,
      customerName: row.customer_name,
    }),
  );
}

export type TmBacklogRow = Awaited<ReturnType<typeof presentRows>>[number];

export const tmBacklog = {
  filters: tmBacklogFilters,
  query: tmBacklogQuery,
  /** A page without totals: what an export reads page after page. */
  async list(db: Kysely<DB>, q: TmBacklogFilters & PageRequest) {
    const page = await listTmBacklog(db, q);
    return { items: presentRows(page.items), nextCursor: page.nextCursor };
  },
  /** A page and the totals of the whole filter: one statement (src/repositories/backlog.ts). */
  async read(db: Kysely<DB>, q: TmBacklogFilters & PageRequest) {
    const { page, totals } = await readTmBacklog(db, q);
    return {
      items: presentRows(page.items),
      nextCursor: page.nextCursor,
      totals: presentTotals(totals),
    };
  },
} satisfies BacklogView<typeof tmBacklogFilters, TmBacklogRow>;
