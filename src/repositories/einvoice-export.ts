import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** R83: the confirmed invoices (and corrections) dated in [dateFrom, dateTo], by number. */
export async function confirmedInvoicesDated(
  db: Kysely<DB>,
  dateFrom: string,
  dateTo: string,
): Promise<{ id: string; number: string }[]> {
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number'])
    .where('status', '=', 'Confirmed')
    .where('invoice_date', '>=', dateFrom)
    .where('invoice_date', '<=', dateTo)
    .orderBy('number')
    .execute();
  return rows.map((r) => ({ id: String(r.id), number: r.number ?? String(r.id) }));
}
