/**
 * The ledger of one entry as cancelling its approval sees it (R13, R15): what its posted
 * actuals still bill after confirmed corrections, and the flag on the actuals it reverses.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** R13, R15: the actuals of a cancelled approval are flagged so they never count as open again. */
export async function flagActualsAdjusted(
  db: Kysely<DB>,
  contractId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('actuals')
    .set({ adjusted: true })
    .where('contract_id', '=', contractId)
    .where('id', '=', sql<string>`ANY(${ids}::bigint[])`)
    .execute();
}

export interface PostedBalanceRow {
  actualId: string;
  /** Decimal text, hundredths scale. */
  quantity: string;
  /** Minor units. */
  amount: string;
}

/**
 * R15: for each posted actual, its charge on a confirmed invoice plus every credit of that
 * charge on a confirmed correction (credits are negative, R65): 0 and 0 once fully credited.
 * A credit still on a corrective draft does not count.
 */
export async function postedBalances(
  db: Kysely<DB>,
  contractId: string,
  actualIds: readonly string[],
): Promise<PostedBalanceRow[]> {
  if (actualIds.length === 0) return [];
  const rows = await db
    .selectFrom('invoice_details as d')
    .innerJoin('invoices as i', (j) =>
      j.onRef('i.contract_id', '=', 'd.contract_id').onRef('i.id', '=', 'd.invoice_id'),
    )
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('invoice_details as cd')
          .innerJoin('invoices as ci', (j) =>
            j.onRef('ci.contract_id', '=', 'cd.contract_id').onRef('ci.id', '=', 'cd.invoice_id'),
          )
          .select(['cd.corrects_detail_id', 'cd.quantity', 'cd.amount'])
          .where('cd.contract_id', '=', contractId)
          .where('cd.kind', '=', 'credit')
          .where('cd.removed_at', 'is', null)
          .where('ci.status', '=', 'Confirmed')
          .as('c'),
      (j) => j.onRef('c.corrects_detail_id', '=', 'd.id'),
    )
    .select([
      'd.source_id as actualId',
      sql<string>`(d.quantity + coalesce(sum(c.quantity), 0))::text`.as('quantity'),
      sql<string>`(d.amount + coalesce(sum(c.amount), 0))::text`.as('amount'),
    ])
    .where('d.contract_id', '=', contractId)
    .where('d.source_type', '=', 'Actual')
    .where('d.source_id', '=', sql<string>`ANY(${actualIds}::bigint[])`)
    .where('d.kind', '=', 'charge')
    .where('d.removed_at', 'is', null)
    .where('i.status', '=', 'Confirmed')
    .groupBy(['d.id', 'd.source_id', 'd.quantity', 'd.amount'])
    .execute();
  return rows;
}
