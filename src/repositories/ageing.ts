/**
 * Backlog ageing (spec §5 `GET /reports/backlog-ageing`): the open backlog's amounts per
 * currency, customer and age bucket, and per currency and bucket, summed by the database in
 * one statement (GROUPING SETS), so a backlog of any size answers a few dozen rows and the
 * sums are exact bigint arithmetic, never rounded on the way.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import { AGEING_BUCKETS, type AgeingBucket } from '../domain/ageing.js';
import type { SplitBillingStatus } from '../domain/vocabulary.js';
import { backlogRows, type TmBacklogFilter } from './backlog.js';

export interface AgeingQuery extends TmBacklogFilter {
  asOf: string;
  includeMilestones: boolean;
}

/** One sum: `customerId` null over all customers of the currency, `bucket` null over all ages. */
export interface AgeingSum {
  currency: string;
  customerId: string | null;
  customerName: string | null;
  bucket: AgeingBucket | null;
  amount: bigint;
}

/** Milestone splits that are not yet billed (R41: a split starts NotReadyToInvoice). */
const OPEN_SPLIT_STATUSES: readonly SplitBillingStatus[] = [
  'NotReadyToInvoice',
  'ReadyToInvoice',
  'CustomerInvoiceCreated',
];

/** The CASE that names an item's bucket, from the domain's bounds (src/domain/ageing.ts). */
function bucketOf(asOf: string): RawBuilder<string> {
  const age = sql`(${asOf}::date - i.date)`;
  const whens = AGEING_BUCKETS.filter((b) => b.maxDays !== null).map(
    (b) => sql`WHEN ${age} <= ${sql.lit(b.maxDays)} THEN ${sql.lit(b.label)}`,
  );
  const last = AGEING_BUCKETS[AGEING_BUCKETS.length - 1]?.label ?? '';
  return sql<string>`CASE ${sql.join(whens, sql` `)} ELSE ${sql.lit(last)} END`;
}

/**
 * Chargeable T&M rows of the view's filter that are not yet posted (a posted row is billed),
 * dated on or before `asOf`.
 */
function tmItems(db: Kysely<DB>, q: AgeingQuery) {
  return backlogRows(db, q)
    .where('a.billing_type', '=', 'Chargeable')
    .where('a.billing_status', '<>', 'CustomerInvoicePosted')
    .where('a.date', '<=', q.asOf)
    .select(['c.currency', 'a.customer_id', 'a.date', 'a.amount']);
}

/**
 * Open milestone splits under the same filter. A split has no transaction class and no NTE
 * status, so a filter on either matches none; a billing-status filter keeps the open
 * statuses it names.
 */
function splitItems(db: Kysely<DB>, q: AgeingQuery) {
  const statuses = OPEN_SPLIT_STATUSES.filter(
    (s) => !q.billingStatus || (q.billingStatus as readonly string[]).includes(s),
  );
  if (!q.includeMilestones || q.nteStatus || q.transactionClass || statuses.length === 0) {
    return undefined;
  }
  let query = db
    .selectFrom('milestone_splits as s')
    .innerJoin('contracts as c', 'c.id', 's.contract_id')
    .where('s.billing_status', 'in', statuses)
    .where('s.date', '<=', q.asOf)
    .select(['c.currency', 's.customer_id', 's.date', 's.amount']);
  if (q.contractId) query = query.where('s.contract_id', '=', q.contractId);
  if (q.contractLineId) query = query.where('s.contract_line_id', '=', q.contractLineId);
  if (q.customerId) query = query.where('s.customer_id', '=', q.customerId);
  if (q.dateFrom) query = query.where('s.date', '>=', q.dateFrom);
  if (q.dateTo) query = query.where('s.date', '<=', q.dateTo);
  return query;
}

export async function readBacklogAgeing(db: Kysely<DB>, q: AgeingQuery): Promise<AgeingSum[]> {
  const tm = tmItems(db, q);
  const splits = splitItems(db, q);
  const items = splits ? tm.unionAll(splits) : tm;
  const bucketed = db
    .selectFrom(items.as('i'))
    .select(['i.currency', 'i.customer_id', 'i.amount', bucketOf(q.asOf).as('bucket')]);
  const rows = await db
    .selectFrom(
      db
        .selectFrom(bucketed.as('b'))
        .select([
          'b.currency',
          'b.customer_id',
          'b.bucket',
          sql<string>`sum(b.amount)::text`.as('amount'),
        ])
        // Per customer and bucket, per customer, per currency and bucket, per currency: every
        // sum the report states, from one scan. Neither key is ever null in the data, so a
        // null key marks a sum over it.
        .groupBy(
          sql`GROUPING SETS ((b.currency, b.customer_id, b.bucket), (b.currency, b.customer_id),
                             (b.currency, b.bucket), (b.currency))`,
        )
        .as('g'),
    )
    .leftJoin('customers as cu', 'cu.id', 'g.customer_id')
    .select(['g.currency', 'g.customer_id', 'cu.name', 'g.bucket', 'g.amount'])
    .orderBy('g.currency')
    .orderBy('cu.name')
    .orderBy('g.customer_id')
    .execute();
  return rows.map((r) => ({
    currency: r.currency,
    customerId: r.customer_id,
    customerName: r.name,
    bucket: r.bucket as AgeingBucket | null,
    amount: BigInt(r.amount),
  }));
}
