/** Time and expense entries as a list (spec §5 `GET /entries`, R16: by status, the approver's queue), in date order. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { ENTRY_STATUSES, TRANSACTION_CLASSES } from '../domain/vocabulary.js';
import { listEntries } from '../repositories/entries.js';
import { idFilter, listSchemas, type ListView, type PageRequest } from './lists.js';
import { isoDate } from '../schemas/common.js';
import { presentEntry } from './presenters/entry.js';
import { lookUpNames, named, namedIdsOf } from './names.js';

/** The entries' filters (also the CLI export's options) and their API query. */
export const { filters: entryFilters, query: entryQuery } = listSchemas({
  contractId: idFilter,
  contractLineId: idFilter,
  status: z.enum(ENTRY_STATUSES).optional(),
  transactionClass: z.enum(TRANSACTION_CLASSES).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
});

export type EntryFilters = z.output<typeof entryFilters>;

export const entryList = {
  filters: entryFilters,
  query: entryQuery,
  async list(db: Kysely<DB>, q: EntryFilters & PageRequest) {
    const page = await listEntries(db, q);
    // The approver's queue shows each entry's contract, line and money without loading
    // every contract: names and currency ride on the rows (additive fields).
    const names = await lookUpNames(db, page.items.map(namedIdsOf));
    return {
      items: page.items.map((e) =>
        named({ ...presentEntry(e, e.currency), currency: e.currency }, names),
      ),
      nextCursor: page.nextCursor,
    };
  },
} satisfies ListView<typeof entryFilters, ReturnType<typeof presentEntry>>;
