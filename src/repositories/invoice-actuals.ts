/** The T&M actuals side of invoicing: which unbilled rows are ready, locked in id order. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { UnbilledActualRow } from './actuals.js';
import { anyId } from './id-arrays.js';
import type { WorkDetail } from './invoice-work-detail.js';

/** A ready actual with its entry's work detail (R77), which its draft detail copies. */
export type ReadyActualRow = UnbilledActualRow & { work: WorkDetail };

/**
 * R32 / R60: the live ReadyToInvoice rows of a contract dated on or before `upTo`,
 * optionally only some customers, lines or item ids, locked in id order. Each comes with
 * its entry's work detail (R77) read in the same statement, so the detail that bills it is
 * written once, complete.
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
): Promise<ReadyActualRow[]> {
  if (q.customerIds?.length === 0 || q.lineIds?.length === 0 || q.itemIds?.length === 0) return [];
  let query = db
    .selectFrom('actuals as a')
    .leftJoin('entries as e', (j) =>
      j.onRef('e.contract_id', '=', 'a.contract_id').onRef('e.id', '=', 'a.entry_id'),
    )
    .selectAll('a')
    .select([
      'e.resource as work_resource',
      'e.role as work_role',
      'e.category as work_category',
      'e.description as work_description',
    ])
    .where('a.contract_id', '=', q.contractId)
    .where('a.type', '=', 'UnbilledSales')
    .where('a.reverses_id', 'is', null)
    .where('a.adjusted', '=', false)
    .where('a.billing_status', '=', 'ReadyToInvoice')
    .where('a.date', '<=', q.upTo)
    .orderBy('a.id')
    .forUpdate(['a']);
  if (q.customerIds) query = query.where('a.customer_id', 'in', q.customerIds);
  if (q.lineIds) query = query.where('a.contract_line_id', 'in', q.lineIds);
  if (q.itemIds) query = query.where('a.id', '=', anyId(q.itemIds));
  return (await query.execute()).map(
    ({ work_resource, work_role, work_category, work_description, ...row }) => ({
      ...(row as UnbilledActualRow),
      work: {
        resource: work_resource,
        role: work_role,
        category: work_category,
        description: work_description,
      },
    }),
  );
}
