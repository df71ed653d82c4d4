/** Which invoices a document export writes (R78): the confirmed ones of a date range. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

export interface ConfirmedInvoiceRef {
  id: string;
  number: string;
}

/**
 * Confirmed invoices dated `dateFrom`..`dateTo` (inclusive), by id after `afterId`, `limit`
 * at a time: an export reads them page by page and never holds the whole range.
 */
export async function confirmedInvoicesBetween(
  db: Kysely<DB>,
  range: { dateFrom: string; dateTo: string },
  afterId: string | null,
  limit: number,
): Promise<ConfirmedInvoiceRef[]> {
  let query = db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('status', '=', 'Confirmed')
    .where('invoice_date', '>=', range.dateFrom)
    .where('invoice_date', '<=', range.dateTo)
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, number: r.number ?? r.id }));
}

/** How many invoices `confirmedInvoicesBetween` walks, for the progress bar. */
export async function countConfirmedInvoicesBetween(
  db: Kysely<DB>,
  range: { dateFrom: string; dateTo: string },
): Promise<number> {
  const row = await db
    .selectFrom('invoices')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('status', '=', 'Confirmed')
    .where('invoice_date', '>=', range.dateFrom)
    .where('invoice_date', '<=', range.dateTo)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
