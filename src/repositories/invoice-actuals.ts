/** The T&M actuals side of invoicing: which unbilled rows are ready, locked in id order. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { UnbilledActualRow } from './actuals.js';
import { anyId } from './id-arrays.js';

/**
 * R32 / R60: the live ReadyToInvoice rows of a contract dated on or before `upTo`,
 * optionally only some customers, lines or item ids, locked in id order.
 */
export async function lockReadyActuals(
  db: Kysely<DB>,
  q: {
    contractId: string;
    upTo: string;
    customerIds?: readonly string[];
    lineIds?: readonly string[];
    itemIds?: readonly string[];
  },
): Promise<UnbilledActualRow[]> {
  if (q.customerIds?.length === 0 || q.lineIds?.length === 0 || q.itemIds?.length === 0) return [];
  let query = db
    .selectFrom('actuals')
    .selectAll()
    .where('contract_id', '=', q.contractId)
    .where('type', '=', 'UnbilledSales')
    .where('reverses_id', 'is', null)
    .where('adjusted', '=', false)
    .where('billing_status', '=', 'ReadyToInvoice')
    .where('date', '<=', q.upTo)
    .orderBy('id')
    .forUpdate();
  if (q.customerIds) query = query.where('customer_id', 'in', q.customerIds);
  if (q.lineIds) query = query.where('contract_line_id', 'in', q.lineIds);
  if (q.itemIds) query = query.where('id', '=', anyId(q.itemIds));
  return (await query.execute()) as UnbilledActualRow[];
}
