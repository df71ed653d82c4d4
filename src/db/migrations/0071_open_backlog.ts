/**
 * The open backlog apart from posted history (issue 18, `npm run bench -- --history`).
 *
 * The T&M view's default rows are the open ones (every status but CustomerInvoicePosted).
 * Since migration 0008 no index names `billing_status` (so a status change is a HOT update
 * with no index write), and the view's page walks the `(date, id)` index of all unbilled
 * rows and checks the status on each row. Beside years of posted history that walk starts
 * in the history: at 9M posted rows before the first open one, the first page reads them all.
 *
 * `in_backlog` is a stored generated column, true exactly for the view's default rows. It
 * changes only when a row enters or leaves the open backlog (posting, adjustment), never on
 * mark ready, mark not ready or drafting, whose status changes keep it true: PostgreSQL
 * decides HOT by whether an indexed column's value changed, so those updates stay HOT (only
 * posting writes index entries, once per item). `actuals_open_by_date` holds only the open
 * rows, in the page's order, with the amount and contract of each, so
 * - a page with no filter reads its 51 rows from the index whatever the history, and
 * - the totals of a date range (one month) are an index-only scan of that range's open rows
 *   (joined to their contract's currency), no heap visit for an all-visible page.
 * Adding a stored column rewrites `actuals` once (minutes at 10M rows).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE actuals ADD COLUMN in_backlog boolean NOT NULL GENERATED ALWAYS AS (
      type = 'UnbilledSales' AND reverses_id IS NULL AND NOT adjusted
      AND billing_status IS NOT NULL AND billing_status <> 'CustomerInvoicePosted'
    ) STORED;
    CREATE INDEX actuals_open_by_date ON actuals (date, id) INCLUDE (amount, contract_id)
      WHERE in_backlog;
  `.execute(db);
}
