/**
 * The views `export` can write. A view is one entry: the API's filter schema for that list,
 * the same repository list function and presenter the API uses, and the column order for
 * CSV. Adding a view (time-and-material, milestones, retainers) is adding an entry here.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.js';
import { presentLedgerRow } from '../http/presenters/actual.js';
import { presentEntry } from '../http/presenters/entry.js';
import { actualsQuery } from '../http/routes/actuals.js';
import { entriesQuery } from '../http/schemas/entries.js';
import { listActuals } from '../repositories/actuals.js';
import { listEntries } from '../repositories/entries.js';
import type { Page } from '../repositories/pagination.js';

export type ExportRow = Record<string, unknown>;

export interface ExportView {
  description: string;
  /** The list query of the API without `limit` and `cursor`, which the export drives. */
  filters: z.ZodObject;
  list(db: Kysely<DB>, query: Record<string, unknown> & { limit: number; cursor?: string }): Promise<Page<ExportRow>>;
  columns: readonly string[];
}

/** Wraps a typed list function and presenter; the filters were validated by `filters`. */
function view<Q, R>(v: {
  description: string;
  query: z.ZodObject;
  list: (db: Kysely<DB>, q: Q) => Promise<Page<R>>;
  present: (row: R) => ExportRow;
  columns: readonly string[];
}): ExportView {
  return {
    description: v.description,
    filters: v.query.omit({ limit: true, cursor: true }),
    columns: v.columns,
    async list(db, query) {
      const page = await v.list(db, query as Q);
      return { items: page.items.map(v.present), nextCursor: page.nextCursor };
    },
  };
}

export const exportViews: Record<string, ExportView> = {
  actuals: view({
    description: 'ledger rows, as GET /api/v1/actuals',
    query: actualsQuery,
    list: listActuals,
    present: presentLedgerRow,
    columns: [
      'id', 'type', 'reversesId', 'entryId', 'invoiceId', 'contractId', 'contractLineId', 'customerId',
      'transactionClass', 'date', 'quantity', 'unitPrice', 'amount', 'currency', 'billingType', 'createdAt',
    ],
  }),
  entries: view({
    description: 'time and expense entries, in the shape of GET /api/v1/entries/{id}',
    query: entriesQuery,
    list: listEntries,
    present: (e) => presentEntry(e, e.currency),
    columns: [
      'id', 'contractId', 'contractLineId', 'transactionClass', 'date', 'quantity', 'unitPrice',
      'billableQuantity', 'resource', 'role', 'category', 'description', 'status', 'createdAt',
    ],
  }),
};
