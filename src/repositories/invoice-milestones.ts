/** The milestone-split side of invoice runs (R66). */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Contracts with a ReadyToInvoice milestone split dated on or before `upTo`. */
export async function contractsWithReadyMilestoneSplits(
  db: Kysely<DB>,
  upTo: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('milestone_splits')
    .select('contract_id')
    .distinct()
    .where('billing_status', '=', 'ReadyToInvoice')
    .where('date', '<=', upTo)
    .execute();
  return rows.map((r) => r.contract_id);
}
