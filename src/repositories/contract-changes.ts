/**
 * Writes of a setup change (R90): the contract, its customers, a line, its customers and
 * its invoice schedule. The caller holds the contract row lock (`findContractRow` with
 * `forUpdate`) for the whole change.
 */
import type { Kysely, Updateable } from 'kysely';
import type { ContractLinesTable, ContractsTable, DB } from '../db/schema.js';

export async function updateContractRow(
  db: Kysely<DB>,
  id: string,
  values: Updateable<ContractsTable>,
): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('contracts').set(values).where('id', '=', id).execute();
}

export async function updateLineRow(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
  values: Updateable<ContractLinesTable>,
): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db
    .updateTable('contract_lines')
    .set(values)
    .where('contract_id', '=', contractId)
    .where('id', '=', lineId)
    .execute();
}

export async function setContractCustomerLimit(
  db: Kysely<DB>,
  contractId: string,
  customerId: string,
  limit: bigint | null,
): Promise<void> {
  await db
    .updateTable('contract_customers')
    .set({ nte_limit: limit })
    .where('contract_id', '=', contractId)
    .where('customer_id', '=', customerId)
    .execute();
}

export async function setLineCustomerLimit(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
  customerId: string,
  limit: bigint | null,
): Promise<void> {
  await db
    .updateTable('line_customers')
    .set({ nte_limit: limit })
    .where('contract_id', '=', contractId)
    .where('contract_line_id', '=', lineId)
    .where('customer_id', '=', customerId)
    .execute();
}

/**
 * New split percentages and rounding customer of a line. The rounding flag is cleared on
 * every customer first: the one-rounding-customer index is checked row by row.
 */
export async function setLineSplits(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
  splits: readonly { customerId: string; percent: string; isRounding: boolean }[],
): Promise<void> {
  await db
    .updateTable('line_customers')
    .set({ is_rounding: false })
    .where('contract_id', '=', contractId)
    .where('contract_line_id', '=', lineId)
    .execute();
  for (const s of splits) {
    await db
      .updateTable('line_customers')
      .set({ split_percent: s.percent, is_rounding: s.isRounding })
      .where('contract_id', '=', contractId)
      .where('contract_line_id', '=', lineId)
      .where('customer_id', '=', s.customerId)
      .execute();
  }
}

export async function replaceScheduleDates(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
  dates: readonly { runDate: string; cutoffDate: string }[],
): Promise<void> {
  await db
    .deleteFrom('invoice_schedule_dates')
    .where('contract_id', '=', contractId)
    .where('contract_line_id', '=', lineId)
    .execute();
  if (dates.length === 0) return;
  await db
    .insertInto('invoice_schedule_dates')
    .values(
      dates.map((d) => ({
        contract_id: contractId,
        contract_line_id: lineId,
        run_date: d.runDate,
        cutoff_date: d.cutoffDate,
      })),
    )
    .execute();
}

/** R90: whether anything was ever allocated on a line by its splits. */
export async function lineAllocations(
  db: Kysely<DB>,
  contractId: string,
  lineId: string,
): Promise<{ hasActuals: boolean; hasMilestones: boolean }> {
  const [actual, milestone] = await Promise.all([
    db
      .selectFrom('actuals')
      .select('id')
      .where('contract_id', '=', contractId)
      .where('contract_line_id', '=', lineId)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('milestones')
      .select('id')
      .where('contract_id', '=', contractId)
      .where('contract_line_id', '=', lineId)
      .limit(1)
      .executeTakeFirst(),
  ]);
  return { hasActuals: actual !== undefined, hasMilestones: milestone !== undefined };
}
