/**
 * The T&M backlog's default view (no contract, customer or status filter, sorted by date)
 * and its date-range filter had no index in (date, id) order: every page, the first as well
 * as page 100, read and sorted every live unbilled row (measured by `npm run bench`, see
 * docs/BENCHMARKS.md). This index lets the keyset page (`(date, id) > cursor … LIMIT 51`,
 * ascending or descending) stop after 51 rows, and a date range read only its own rows.
 * Partial like the other backlog indexes: only live unbilled rows carry a billing status.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX actuals_tm_by_date ON actuals (date, id) WHERE billing_status IS NOT NULL;
  `.execute(db);
}
