/**
 * Room on every page of `actuals` for a new version of each of its rows (issue 18).
 *
 * Migration 0008 made status changes HOT updates (no index names `billing_status`) and left
 * 15 % of each page free for the new versions. But the backlog is worked in bulk: marking a
 * contract ready, a run and a confirm change every row of the contract in one statement,
 * and a contract's rows sit together on a few pages. The old versions stay until the
 * transaction ends, so a page can take new versions of only as many rows as its free space
 * holds; the rest were written elsewhere with an entry in each of the ten indexes a backlog
 * row is in. Measured at 1M rows: 20 % of a 100-contract status change was HOT, 115 µs a row
 * and 3.6 kB of WAL a row; with half of each page free, 100 % HOT, 27 µs a row and 0.4 kB.
 *
 * The price is space: pages are filled to half, so the table's heap takes up to twice the
 * room (its indexes do not change). Rows already on disk keep their pages until they are
 * rewritten (`VACUUM FULL actuals`, or pg_repack without the exclusive lock; docs/OPERATIONS.md).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE actuals SET (fillfactor = 50)`.execute(db);
}
