/**
 * Status changes without index writes. A PostgreSQL UPDATE that changes no indexed column
 * (key, INCLUDE or partial-index predicate) and finds room on its page is a HOT update: it
 * writes no index entry at all. `billing_status` was a key of three indexes and in the
 * predicate of every backlog index, so each mark-ready, draft, confirm or removal wrote a
 * new entry into all fourteen indexes of `actuals` (about 0.5 ms a row at 1M rows).
 *
 * Now no index names `billing_status`: the backlog indexes are partial on the immutable
 * `type = 'UnbilledSales' AND reverses_id IS NULL` (every row with a billing status is such
 * a row; the few others are filtered by the query), and a status filter walks the
 * (date, id), contract or customer index and checks the status on the row. The line index
 * is dropped: `actuals_ledger (contract_id, contract_line_id, type, date, id)` serves a line
 * filter in date order. A fill factor of 85 leaves room on each page for the new versions.
 * `nte_status` stays in the predicate of `actuals_nte_committed` (NTE actions are rarer and
 * that index keeps R21 usage sums cheap).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX actuals_tm_by_status_date;
    DROP INDEX actuals_tm_by_contract_status_date;
    DROP INDEX actuals_tm_by_customer_status_date;
    DROP INDEX actuals_tm_by_line_date;
    DROP INDEX actuals_tm_by_date;
    DROP INDEX actuals_tm_by_amount;
    DROP INDEX actuals_tm_by_contract_date;
    DROP INDEX actuals_tm_by_contract_amount;
    DROP INDEX actuals_tm_by_customer_date;
    CREATE INDEX actuals_tm_by_date ON actuals (date, id)
      WHERE type = 'UnbilledSales' AND reverses_id IS NULL;
    CREATE INDEX actuals_tm_by_amount ON actuals (amount, id)
      WHERE type = 'UnbilledSales' AND reverses_id IS NULL;
    CREATE INDEX actuals_tm_by_contract_date ON actuals (contract_id, date, id)
      WHERE type = 'UnbilledSales' AND reverses_id IS NULL;
    CREATE INDEX actuals_tm_by_contract_amount ON actuals (contract_id, amount, id)
      WHERE type = 'UnbilledSales' AND reverses_id IS NULL;
    CREATE INDEX actuals_tm_by_customer_date ON actuals (customer_id, date, id)
      WHERE type = 'UnbilledSales' AND reverses_id IS NULL;
    ALTER TABLE actuals SET (fillfactor = 85);
  `.execute(db);
}
