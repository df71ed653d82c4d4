/** Workflow queries over the unbilled rows of the T&M backlog. */
import type { Kysely } from 'kysely';
import type { BillingStatus, DB, NteStatus } from '../db/schema.js';

const CHUNK = 5000;

export interface BacklogActualLock {
  id: string;
  contract_id: string;
  billing_status: BillingStatus;
  nte_status: NteStatus | null;
}

/**
 * Locks the live backlog rows among `ids` (in id order, so concurrent bulk actions never
 * deadlock). Reversals, reversed rows and billed rows are not backlog items.
 */
export async function lockBacklogActuals(db: Kysely<DB>, ids: readonly string[]): Promise<BacklogActualLock[]> {
  const sorted = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const out: BacklogActualLock[] = [];
  for (let i = 0; i < sorted.length; i += CHUNK) {
    const rows = await db
      .selectFrom('actuals')
      .select(['id', 'contract_id', 'billing_status', 'nte_status'])
      .where('id', 'in', sorted.slice(i, i + CHUNK))
      .where('type', '=', 'UnbilledSales')
      .where('reverses_id', 'is', null)
      .where('adjusted', '=', false)
      .where('billing_status', 'is not', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const r of rows) out.push({ ...r, billing_status: r.billing_status as BillingStatus });
  }
  return out;
}

export async function setActualsBillingStatus(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  to: BillingStatus,
): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    await db
      .updateTable('actuals')
      .set({ billing_status: to })
      .where('contract_id', 'in', [...new Set(chunk.map((c) => c.contractId))])
      .where('id', 'in', chunk.map((c) => c.id))
      .execute();
  }
}
