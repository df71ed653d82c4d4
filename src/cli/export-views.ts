/**
 * The views `export` can write. A view is one entry: the API's filter schema for that list
 * (the same object its query is built from, src/http/schemas), the same repository list
 * function and presenter the API uses, and the column order for CSV. Adding a view is
 * adding an entry here; its command-line options follow from its filters.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.js';
import { presentLedgerRow } from '../http/presenters/actual.js';
import { presentEntry } from '../http/presenters/entry.js';
import { actualsFilters } from '../http/routes/actuals.js';
import { presentMilestoneBacklogRows } from '../http/routes/backlog-milestones.js';
import { presentRetainerBacklogRows } from '../http/routes/backlog-retainers.js';
import { presentTmBacklogRows } from '../http/routes/backlog-tm.js';
import { tmBacklogFilters } from '../http/schemas/backlog-tm.js';
import { entriesFilters } from '../http/schemas/entries.js';
import { milestoneBacklogFilters } from '../http/schemas/milestones.js';
import { retainerBacklogFilters } from '../http/schemas/retainers.js';
import { listActuals } from '../repositories/actuals.js';
import { listMilestoneBacklog } from '../repositories/backlog-milestones.js';
import { listTmBacklog } from '../repositories/backlog.js';
import { listEntries } from '../repositories/entries.js';
import type { Page } from '../repositories/pagination.js';
import { listRetainers } from '../repositories/retainers.js';

export type ExportRow = Record<string, unknown>;

export interface ExportView {
  description: string;
  /** The list's API filters: its query without `limit` and `cursor`, which the export drives. */
  filters: z.ZodObject;
  list(
    db: Kysely<DB>,
    query: Record<string, unknown> & { limit: number; cursor?: string },
  ): Promise<Page<ExportRow>>;
  columns: readonly string[];
}

/**
 * Wraps a typed list function and the presenter of its page (which may read more, such as
 * the invoice naming each row); the filters were validated by `filters`.
 */
function view<F extends z.ZodObject, R>(v: {
  description: string;
  filters: F;
  list: (db: Kysely<DB>, q: z.output<F> & { limit: number; cursor?: string }) => Promise<Page<R>>;
  present: (db: Kysely<DB>, rows: R[]) => ExportRow[] | Promise<ExportRow[]>;
  columns: readonly string[];
}): ExportView {
  return {
    description: v.description,
    filters: v.filters,
    columns: v.columns,
    async list(db, query) {
      const page = await v.list(db, query as z.output<F> & { limit: number; cursor?: string });
      return { items: await v.present(db, page.items), nextCursor: page.nextCursor };
    },
  };
}

const RETAINER_COLUMNS = [
  'id',
  'kind',
  'contractId',
  'customerId',
  'date',
  'amount',
  'usedAmount',
  'availableAmount',
  'reservedAmount',
  'currency',
  'billingStatus',
  'invoiceId',
  'description',
] as const;

export const exportViews: Record<string, ExportView> = {
  actuals: view({
    description: 'ledger rows, as GET /api/v1/actuals',
    filters: actualsFilters,
    list: listActuals,
    present: (_db, rows) => rows.map(presentLedgerRow),
    columns: [
      'id',
      'type',
      'reversesId',
      'entryId',
      'invoiceId',
      'contractId',
      'contractLineId',
      'customerId',
      'transactionClass',
      'date',
      'quantity',
      'unitPrice',
      'amount',
      'currency',
      'billingType',
      'createdAt',
    ],
  }),
  entries: view({
    description: 'time and expense entries, in the shape of GET /api/v1/entries/{id}',
    filters: entriesFilters,
    list: listEntries,
    present: (_db, rows) => rows.map((e) => presentEntry(e, e.currency)),
    columns: [
      'id',
      'contractId',
      'contractLineId',
      'transactionClass',
      'date',
      'quantity',
      'unitPrice',
      'billableQuantity',
      'resource',
      'role',
      'category',
      'description',
      'status',
      'rejectionReason',
      'createdAt',
    ],
  }),
  'tm-backlog': view({
    description: 'the Time and Material Billing Backlog, as GET /api/v1/backlog/time-and-material',
    filters: tmBacklogFilters,
    list: listTmBacklog,
    present: presentTmBacklogRows,
    columns: [
      'id',
      'contractId',
      'contractLineId',
      'customerId',
      'transactionClass',
      'date',
      'quantity',
      'unitPrice',
      'amount',
      'currency',
      'billingType',
      'billingStatus',
      'nteStatus',
      'nteFailedLevel',
      'invoiceId',
    ],
  }),
  milestones: view({
    description:
      'the Fixed Price Milestones backlog, one row per split, as GET /api/v1/backlog/fixed-price-milestones',
    filters: milestoneBacklogFilters,
    list: listMilestoneBacklog,
    present: presentMilestoneBacklogRows,
    columns: [
      'id',
      'milestoneId',
      'contractId',
      'contractLineId',
      'name',
      'date',
      'customerId',
      'amount',
      'currency',
      'billingStatus',
      'headerStatus',
      'invoiceId',
    ],
  }),
  retainers: view({
    description:
      'the Retainers and Advances backlog, as GET /api/v1/backlog/retainers-and-advances',
    filters: retainerBacklogFilters,
    list: listRetainers,
    present: presentRetainerBacklogRows,
    columns: RETAINER_COLUMNS,
  }),
  'available-retainers': view({
    description:
      'the Available Retainers and Advances (posted, with an amount left to apply), as GET /api/v1/backlog/available-retainers-and-advances',
    filters: retainerBacklogFilters,
    // R51: the same filters over the retainers with something left to draw.
    list: (db, q) => listRetainers(db, { ...q, availableOnly: true }),
    present: presentRetainerBacklogRows,
    columns: RETAINER_COLUMNS,
  }),
};
