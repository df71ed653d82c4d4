/**
 * The views `export` can write. A view is its read model (src/views: the same filters, list
 * and presenter the API serves) and the column order for CSV. Adding a view is adding an
 * entry here; its command-line options follow from its filters.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.js';
import type { Page } from '../repositories/pagination.js';
import { entryList } from '../views/entries.js';
import { ledger } from '../views/ledger.js';
import type { ListView, PageRequest } from '../views/lists.js';
import { milestoneBacklog } from '../views/milestone-backlog.js';
import { availableRetainerBacklog, retainerBacklog } from '../views/retainer-backlog.js';
import { tmBacklog } from '../views/tm-backlog.js';

export type ExportRow = Record<string, unknown>;

export interface ExportView {
  description: string;
  /** The list's API filters: its query without `limit` and `cursor`, which the export drives. */
  filters: z.ZodObject;
  list(db: Kysely<DB>, query: Record<string, unknown> & PageRequest): Promise<Page<ExportRow>>;
  columns: readonly string[];
}

/** A typed read model as the export drives it; the filters were validated by `filters`. */
function view<F extends z.ZodObject, R extends object>(
  description: string,
  list: ListView<F, R>,
  columns: readonly string[],
): ExportView {
  return {
    description,
    filters: list.filters,
    columns,
    list: (db, query) =>
      list.list(db, query as z.output<F> & PageRequest) as Promise<Page<ExportRow>>,
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
  'contractName',
  'customerName',
] as const;

export const exportViews: Record<string, ExportView> = {
  actuals: view('ledger rows, as GET /api/v1/actuals', ledger, [
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
    'sourceType',
    'sourceId',
    'retainerId',
  ]),
  entries: view('time and expense entries, as GET /api/v1/entries', entryList, [
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
  ]),
  'tm-backlog': view(
    'the Time and Material Billing Backlog, as GET /api/v1/backlog/time-and-material',
    tmBacklog,
    [
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
      'contractName',
      'contractLineName',
      'customerName',
      // R77: the work behind the row (empty when the entry gave none).
      'resource',
      'role',
      'category',
      'description',
    ],
  ),
  milestones: view(
    'the Fixed Price Milestones backlog, one row per split, as GET /api/v1/backlog/fixed-price-milestones',
    milestoneBacklog,
    [
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
      'contractName',
      'contractLineName',
      'customerName',
    ],
  ),
  retainers: view(
    'the Retainers and Advances backlog, as GET /api/v1/backlog/retainers-and-advances',
    retainerBacklog,
    RETAINER_COLUMNS,
  ),
  'available-retainers': view(
    'the Available Retainers and Advances (posted, with an amount left to apply), as GET /api/v1/backlog/available-retainers-and-advances',
    availableRetainerBacklog,
    RETAINER_COLUMNS,
  ),
};
