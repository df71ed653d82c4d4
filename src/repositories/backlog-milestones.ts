/**
 * The Fixed Price Milestones view (spec §1, §5): one row per milestone split, keyset-paged,
 * with totals over the whole filter. Filters and sort keys are all columns of the split
 * itself, so each combination is served by an index of `milestone_splits`.
 */
import type { ExpressionBuilder, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB, SplitBillingStatus } from '../db/schema.js';
import { decodeCursor, toPage, type Page } from './pagination.js';
import { toCurrencyTotals, type CurrencyTotal } from './totals.js';

export const MILESTONE_SORTS = ['date', '-date', 'amount', '-amount'] as const;
export type MilestoneSort = (typeof MILESTONE_SORTS)[number];

export interface MilestoneBacklogQuery {
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  billingStatus?: SplitBillingStatus[];
  dateFrom?: string;
  dateTo?: string;
  sort: MilestoneSort;
  limit: number;
  cursor?: string;
}

export interface MilestoneBacklogRow {
  id: string;
  milestone_id: string;
  contract_id: string;
  contract_line_id: string;
  customer_id: string;
  name: string;
  date: string;
  amount: string;
  currency: string;
  billing_status: SplitBillingStatus;
  invoice_id: string | null;
}

function filters(eb: ExpressionBuilder<DB, 'milestone_splits'>, q: MilestoneBacklogQuery) {
  const parts = [];
  if (q.contractId !== undefined) parts.push(eb('milestone_splits.contract_id', '=', q.contractId));
  if (q.contractLineId !== undefined)
    parts.push(eb('milestone_splits.contract_line_id', '=', q.contractLineId));
  if (q.customerId !== undefined) parts.push(eb('milestone_splits.customer_id', '=', q.customerId));
  if (q.billingStatus && q.billingStatus.length > 0) {
    parts.push(eb('milestone_splits.billing_status', 'in', q.billingStatus));
  }
  if (q.dateFrom !== undefined) parts.push(eb('milestone_splits.date', '>=', q.dateFrom));
  if (q.dateTo !== undefined) parts.push(eb('milestone_splits.date', '<=', q.dateTo));
  return eb.and(parts);
}

export async function listMilestoneBacklog(
  db: Kysely<DB>,
  q: MilestoneBacklogQuery,
): Promise<Page<MilestoneBacklogRow>> {
  const byAmount = q.sort === 'amount' || q.sort === '-amount';
  const descending = q.sort.startsWith('-');
  const after = decodeCursor(q.cursor, [byAmount ? 'integer' : 'date', 'id']);
  const key = byAmount ? 'milestone_splits.amount' : 'milestone_splits.date';
  const direction = descending ? 'desc' : 'asc';
  let query = db
    .selectFrom('milestone_splits')
    .innerJoin('milestones', (j) =>
      j
        .onRef('milestones.contract_id', '=', 'milestone_splits.contract_id')
        .onRef('milestones.id', '=', 'milestone_splits.milestone_id'),
    )
    .innerJoin('contracts', 'contracts.id', 'milestone_splits.contract_id')
    .select([
      'milestone_splits.id',
      'milestone_splits.milestone_id',
      'milestone_splits.contract_id',
      'milestone_splits.contract_line_id',
      'milestone_splits.customer_id',
      'milestones.name',
      'milestone_splits.date',
      'milestone_splits.amount',
      'contracts.currency',
      'milestone_splits.billing_status',
      'milestone_splits.invoice_id',
    ])
    .where((eb) => filters(eb, q))
    .orderBy(key, direction)
    .orderBy('milestone_splits.id', direction)
    .limit(q.limit + 1);
  if (after) {
    const [k, id] = after as [string, string];
    query = query.where((eb) =>
      eb(eb.refTuple(key, 'milestone_splits.id'), descending ? '<' : '>', eb.tuple(k, id)),
    );
  }
  const rows = await query.execute();
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => [byAmount ? r.amount : r.date, r.id],
  );
}

export async function milestoneBacklogTotals(
  db: Kysely<DB>,
  q: MilestoneBacklogQuery,
): Promise<CurrencyTotal[]> {
  const rows = await db
    .selectFrom('milestone_splits')
    .innerJoin('contracts', 'contracts.id', 'milestone_splits.contract_id')
    .select([
      'contracts.currency',
      sql<string>`count(*)::text`.as('count'),
      sql<string>`coalesce(sum(milestone_splits.amount), 0)::text`.as('amount'),
    ])
    .where((eb) => filters(eb, q))
    .groupBy('contracts.currency')
    .orderBy('contracts.currency')
    .execute();
  return toCurrencyTotals(rows);
}

/** Every split status of the given milestones, for the derived header status (R42). */
export async function splitStatusesOf(
  db: Kysely<DB>,
  milestones: readonly { contract_id: string; milestone_id: string }[],
): Promise<Map<string, SplitBillingStatus[]>> {
  const out = new Map<string, SplitBillingStatus[]>();
  if (milestones.length === 0) return out;
  const rows = await db
    .selectFrom('milestone_splits')
    .select(['milestone_id', 'billing_status'])
    .where('contract_id', 'in', [...new Set(milestones.map((m) => m.contract_id))])
    .where('milestone_id', 'in', [...new Set(milestones.map((m) => m.milestone_id))])
    .execute();
  for (const r of rows) {
    const list = out.get(r.milestone_id) ?? [];
    list.push(r.billing_status);
    out.set(r.milestone_id, list);
  }
  return out;
}
