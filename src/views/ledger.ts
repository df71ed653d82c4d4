/** The ledger (`GET /actuals`, spec §2, §5): read-only rows in id order. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { ACTUAL_TYPES } from '../domain/vocabulary.js';
import { listActuals } from '../repositories/actuals.js';
import { idFilter, listSchemas, type ListView, type PageRequest } from './lists.js';
import { isoDate } from '../schemas/common.js';
import { presentLedgerRow } from './presenters/actual.js';

/** The ledger's filters (also the CLI export's options) and its API query. */
export const { filters: ledgerFilters, query: ledgerQuery } = listSchemas({
  contractId: idFilter,
  contractLineId: idFilter,
  customerId: idFilter,
  entryId: idFilter,
  invoiceId: idFilter,
  type: z.enum(ACTUAL_TYPES).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});

export type LedgerFilters = z.output<typeof ledgerFilters>;

export const ledger = {
  filters: ledgerFilters,
  query: ledgerQuery,
  async list(db: Kysely<DB>, q: LedgerFilters & PageRequest) {
    const page = await listActuals(db, q);
    return { items: page.items.map(presentLedgerRow), nextCursor: page.nextCursor };
  },
} satisfies ListView<typeof ledgerFilters, ReturnType<typeof presentLedgerRow>>;
