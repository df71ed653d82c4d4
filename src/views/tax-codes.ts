/** R72: the tax codes as a list (spec §5 `GET /tax-codes`), in creation order. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { listTaxCodes } from '../repositories/tax-codes.js';
import { listSchemas, type ListView, type PageRequest } from './lists.js';
import { presentTaxCode, type TaxCodeView } from './presenters/tax-code.js';

export const { filters: taxCodeFilters, query: taxCodeQuery } = listSchemas({});

export const taxCodeList = {
  filters: taxCodeFilters,
  query: taxCodeQuery,
  async list(db: Kysely<DB>, q: PageRequest) {
    const page = await listTaxCodes(db, q);
    return { items: page.items.map(presentTaxCode), nextCursor: page.nextCursor };
  },
} satisfies ListView<typeof taxCodeFilters, TaxCodeView>;
