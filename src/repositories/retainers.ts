/** Retainers and advances: inserts, the two backlog views and their workflow locks. */
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { BillingStatus, DB, RetainerKind, RetainersTable } from '../db/schema.js';
import { isId } from '../domain/ids.js';
import { anyId } from './id-arrays.js';
import { decodeCursor, toPage, type Page } from './pagination.js';
import type { CurrencyTotal } from './totals.js';

export type RetainerRow = Selectable<RetainersTable>;
export type NewRetainer = Insertable<RetainersTable>;
/** A retainer as the views show it: its contract's currency and what drafts reserve of it. */
export type RetainerWithCurrency = RetainerRow & { currency: string; reserved_amount: string };

/** R53: the sum applied to the retainer on draft invoices (a corrective draft's give-back is not). */
const reservedAmount = sql<string>`(
  SELECT coalesce(sum(ra.amount), 0)::text
  FROM retainer_applications ra
  JOIN invoices i ON i.contract_id = ra.contract_id AND i.id = ra.invoice_id
  WHERE ra.contract_id = retainers.contract_id AND ra.retainer_id = retainers.id AND i.status = 'Draft'
    AND ra.amount > 0
)`.as('reserved_amount');

const CHUNK = 5000;

export async function insertRetainers(db: Kysely<DB>, rows: NewRetainer[]): Promise<RetainerRow[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('retainers').values(rows).returningAll().execute();
  return inserted.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export async function findContractCustomer(db: Kysely<DB>, contractId: string, customerId: string) {
  if (!isId(contractId) || !isId(customerId)) return undefined;
  return db
    .selectFrom('contract_customers')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
}

export interface RetainerQuery {
  contractId?: string;
  customerId?: string;
  kind?: RetainerKind;
  billingStatus?: BillingStatus[];
  dateFrom?: string;
  dateTo?: string;
  /** R51: only posted retainers with something left to draw. */
  availableOnly?: boolean;
}

type RetainerScope = ExpressionBuilder<DB, 'retainers' | 'contracts'>;

function conditions(eb: RetainerScope, q: RetainerQuery) {
  const where = [];
  if (q.contractId !== undefined) where.push(eb('retainers.contract_id', '=', q.contractId));
  if (q.customerId !== undefined) where.push(eb('retainers.customer_id', '=', q.customerId));
  if (q.kind !== undefined) where.push(eb('retainers.kind', '=', q.kind));
  if (q.billingStatus !== undefined && q.billingStatus.length > 0) {
    where.push(eb('retainers.billing_status', 'in', q.billingStatus));
  }
  if (q.dateFrom !== undefined) where.push(eb('retainers.date', '>=', q.dateFrom));
  if (q.dateTo !== undefined) where.push(eb('retainers.date', '<=', q.dateTo));
  if (q.availableOnly) {
    where.push(eb('retainers.billing_status', '=', 'CustomerInvoicePosted'));
    where.push(eb('retainers.used_amount', '<', eb.ref('retainers.amount')));
  }
  return eb.and(where);
}

export async function listRetainers(
  db: Kysely<DB>,
  q: RetainerQuery & { limit: number; cursor?: string },
): Promise<Page<RetainerWithCurrency>> {
  const after = decodeCursor(q.cursor, ['date', 'id']);
  let query = db
    .selectFrom('retainers')
    .innerJoin('contracts', 'contracts.id', 'retainers.contract_id')
    .selectAll('retainers')
    .select(['contracts.currency', reservedAmount])
    .where((eb) => conditions(eb, q))
    .orderBy('retainers.date')
    .orderBy('retainers.id')
    .limit(q.limit + 1);
  if (after) {
    const [date, id] = after as [string, string];
    query = query.where((eb) =>
      eb(eb.refTuple('retainers.date', 'retainers.id'), '>', eb.tuple(date, id)),
    );
  }
  return toPage(
    await query.execute(),
    q.limit,
    (r) => r,
    (r) => [r.date, r.id],
  );
}

/** Totals of the whole filter, per currency (spec §5), with what is left to draw of them. */
export async function retainerTotals(
  db: Kysely<DB>,
  q: RetainerQuery,
): Promise<(CurrencyTotal & { availableAmount: bigint })[]> {
  const rows = await db
    .selectFrom('retainers')
    .innerJoin('contracts', 'contracts.id', 'retainers.contract_id')
    .where((eb) => conditions(eb, q))
    .select([
      'contracts.currency',
      sql<string>`count(*)::text`.as('count'),
      sql<string>`coalesce(sum(retainers.amount), 0)::text`.as('amount'),
      sql<string>`coalesce(sum(CASE WHEN retainers.billing_status = 'CustomerInvoicePosted'
        THEN retainers.amount - retainers.used_amount ELSE 0 END), 0)::text`.as('available'),
    ])
    .groupBy('contracts.currency')
    .orderBy('contracts.currency')
    .execute();
  return rows.map((r) => ({
    currency: r.currency,
    count: Number(r.count),
    amount: BigInt(r.amount),
    availableAmount: BigInt(r.available),
  }));
}

export async function findRetainers(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<RetainerWithCurrency[]> {
  const wanted = ids.filter(isId);
  if (wanted.length === 0) return [];
  return db
    .selectFrom('retainers')
    .innerJoin('contracts', 'contracts.id', 'retainers.contract_id')
    .selectAll('retainers')
    .select(['contracts.currency', reservedAmount])
    .where('retainers.id', 'in', wanted)
    .orderBy('retainers.date')
    .orderBy('retainers.id')
    .execute();
}

/**
 * Locks the retainers among `ids` (of one contract when given) in id order, so concurrent
 * actions never deadlock; ids that name no retainer are left out.
 */
export async function lockRetainers(
  db: Kysely<DB>,
  ids: readonly string[],
  contractId?: string,
): Promise<RetainerRow[]> {
  // One array parameter for any number of ids; rows are locked as the sort emits them.
  let query = db
    .selectFrom('retainers')
    .selectAll()
    .where('id', '=', anyId(ids))
    .orderBy('id')
    .forUpdate();
  if (contractId !== undefined) query = query.where('contract_id', '=', contractId);
  return query.execute();
}

export async function setRetainersBillingStatus(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  to: BillingStatus,
): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    await db
      .updateTable('retainers')
      .set({ billing_status: to })
      .where('contract_id', 'in', [...new Set(chunk.map((c) => c.contractId))])
      .where(
        'id',
        'in',
        chunk.map((c) => c.id),
      )
      .execute();
  }
}
