/**
 * Indexes for the Time and Material Billing Backlog view (spec §5): one per filter + sort
 * combination it offers, each ending in `id` (the keyset tie-breaker). Partial on
 * `billing_status IS NOT NULL`: only live unbilled rows carry a billing status, so reversals
 * and billed rows never bloat them. `contract_id` leads where the contract is the filter.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX actuals_tm_by_status_date
      ON actuals (billing_status, date, id) WHERE billing_status IS NOT NULL;
    CREATE INDEX actuals_tm_by_contract_date
      ON actuals (contract_id, billing_status, date, id) WHERE billing_status IS NOT NULL;
    CREATE INDEX actuals_tm_by_contract_amount
      ON actuals (contract_id, billing_status, amount, id) WHERE billing_status IS NOT NULL;
    CREATE INDEX actuals_tm_by_line_date
      ON actuals (contract_id, contract_line_id, billing_status, date, id) WHERE billing_status IS NOT NULL;
    CREATE INDEX actuals_tm_by_customer_date
      ON actuals (customer_id, billing_status, date, id) WHERE billing_status IS NOT NULL;
    -- NTE usage (R21): the committed rows of one contract, summed per line customer.
    CREATE INDEX actuals_nte_committed
      ON actuals (contract_id, line_customer_id) WHERE nte_status = 'Committed';
  `.execute(db);
}
