/** Workflow queries over the unbilled rows of the T&M backlog. */
import { sql, type ExpressionBuilder, type Kysely, type Updateable } from 'kysely';
import type {
  ActualsTable,
  BillingStatus,
  DB,
  NteLevel,
  NteStatus,
  TransactionClass,
} from '../db/schema.js';
import { MalformedInputError } from '../domain/errors.js';
import type { ActualWithCurrency, UnbilledActualRow } from './actuals.js';
import type { ContractRow } from './contracts.js';
import { anyId } from './id-arrays.js';
import { decodeCursor, toPage, type Page } from './pagination.js';
import { toCurrencyTotals, type CurrencyTotal, type CurrencyTotalText } from './totals.js';

/** A live row of the T&M backlog: unbilled, not a reversal, not adjusted, with a status. */
function isLiveBacklogRow(eb: ExpressionBuilder<DB, 'actuals'>) {
  return eb.and([
    eb('type', '=', 'UnbilledSales'),
    eb('reverses_id', 'is', null),
    eb('adjusted', '=', false),
    eb('billing_status', 'is not', null),
  ]);
}

/**
 * Locks the live backlog rows among `ids` (of one contract when given), in id order so
 * concurrent bulk actions never deadlock. Reversals and billed rows are not backlog items;
 * posted unbilled rows are (a correction credits them).
 */
export async function lockBacklogActuals(
  db: Kysely<DB>,
  ids: readonly string[],
  contractId?: string,
): Promise<UnbilledActualRow[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('actuals')
    .selectAll()
    .where('id', '=', anyId(ids))
    .where(isLiveBacklogRow)
    .orderBy('id')
    .forUpdate();
  if (contractId !== undefined) query = query.where('contract_id', '=', contractId);
  return (await query.execute()) as UnbilledActualRow[];
}

export async function setActualsBillingStatus(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  to: BillingStatus,
): Promise<void> {
  await setWorkflow(db, items, { billing_status: to });
}

/** Sets workflow fields, the only fields of a ledger row that ever change (spec §2). */
async function setWorkflow(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  fields: Pick<Updateable<ActualsTable>, 'billing_status' | 'nte_status' | 'nte_failed_level'>,
): Promise<void> {
  if (items.length === 0) return;
  await db
    .updateTable('actuals')
    .set(fields)
    .where('contract_id', '=', anyId(items.map((c) => c.contractId)))
    .where('id', '=', anyId(items.map((c) => c.id)))
    .execute();
}

/**
 * Moves rows the caller has already locked from one status to another; answers how many
 * moved, so the caller can tell a row that was not in `from`.
 */
export async function moveLockedActualsStatus(
  db: Kysely<DB>,
  contractId: string,
  ids: readonly string[],
  from: BillingStatus,
  to: BillingStatus,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('actuals')
    .set({ billing_status: to })
    .where('contract_id', '=', contractId)
    .where('id', '=', anyId(ids))
    .where('billing_status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------
// The Time and Material Billing Backlog view (spec §1, §5).

export const TM_SORTS = ['date', '-date', 'amount', '-amount'] as const;
export type TmSort = (typeof TM_SORTS)[number];

export interface TmBacklogFilter {
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  billingStatus?: BillingStatus[];
  nteStatus?: NteStatus[];
  transactionClass?: TransactionClass[];
  dateFrom?: string;
  dateTo?: string;
}

export interface TmBacklogQuery extends TmBacklogFilter {
  sort: TmSort;
  limit: number;
  cursor?: string;
}

/** The cursor names its sort, so a cursor from another sort is refused, never misread. */
export function decodeBacklogCursor(
  cursor: string | undefined,
  sort: TmSort,
): { value: string; id: string } | undefined {
  const key = decodeCursor(cursor, ['text', sort.endsWith('date') ? 'date' : 'integer', 'id']);
  if (!key) return undefined;
  const [keySort, value, id] = key;
  if (keySort !== sort || !value || !id) {
    throw new MalformedInputError('cursor', 'the cursor belongs to another sort');
  }
  return { value, id };
}

/**
 * Live unbilled rows: not reversals, not reversed, carrying a billing status. Posted rows
 * show only when `CustomerInvoicePosted` is asked for (spec §5).
 */
export function backlogRows(db: Kysely<DB>, f: TmBacklogFilter) {
  let query = db.selectFrom('actuals as a').innerJoin('contracts as c', 'c.id', 'a.contract_id');
  // The open rows are `in_backlog` (migration 0071), stated alone so that the planner matches
  // the open-rows index's predicate and needs no row to check it.
  query = f.billingStatus
    ? query
        .where('a.type', '=', 'UnbilledSales')
        .where('a.reverses_id', 'is', null)
        .where('a.adjusted', '=', false)
        .where('a.billing_status', 'in', f.billingStatus)
    : query.where(sql<boolean>`a.in_backlog`);
  if (f.contractId) query = query.where('a.contract_id', '=', f.contractId);
  if (f.contractLineId) query = query.where('a.contract_line_id', '=', f.contractLineId);
  if (f.customerId) query = query.where('a.customer_id', '=', f.customerId);
  if (f.nteStatus) query = query.where('a.nte_status', 'in', f.nteStatus);
  if (f.transactionClass) query = query.where('a.transaction_class', 'in', f.transactionClass);
  if (f.dateFrom) query = query.where('a.date', '>=', f.dateFrom);
  if (f.dateTo) query = query.where('a.date', '<=', f.dateTo);
  return query;
}

/** The view's rows after the cursor in sort order, one more than the page (is there a next?). */
function pageRows(db: Kysely<DB>, q: TmBacklogQuery) {
  const after = decodeBacklogCursor(q.cursor, q.sort);
  const byDate = q.sort.endsWith('date');
  const direction = q.sort.startsWith('-') ? 'desc' : 'asc';
  const column = byDate ? 'a.date' : 'a.amount';
  let query = backlogRows(db, q)
    .selectAll('a')
    .select('c.currency')
    .orderBy(column, direction)
    .orderBy('a.id', direction)
    .limit(q.limit + 1);
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple(column, 'a.id'),
        direction === 'asc' ? '>' : '<',
        eb.tuple(after.value, after.id),
      ),
    );
  }
  const keyOf = (r: ActualWithCurrency) => [q.sort, byDate ? r.date : r.amount, r.id];
  return { query, keyOf };
}

/**
 * One page of the view without its totals: what an export reads page after page (the totals
 * of a wide filter would otherwise be summed again for every page).
 */
export async function listTmBacklog(
  db: Kysely<DB>,
  q: TmBacklogQuery,
): Promise<Page<ActualWithCurrency>> {
  const { query, keyOf } = pageRows(db, q);
  return toPage(await query.execute(), q.limit, (r) => r, keyOf);
}

/**
 * One page of the view and the totals of its whole filter, in ONE statement: a statement
 * reads one snapshot, so the page and its totals always agree without an explicit
 * transaction, and the request costs one round trip instead of four. The totals ride on
 * every row as a small JSON array (one entry per currency, computed once as an InitPlan);
 * a page with no rows asks for them on their own.
 */
export async function readTmBacklog(
  db: Kysely<DB>,
  q: TmBacklogQuery,
): Promise<{ page: Page<ActualWithCurrency>; totals: CurrencyTotal[] }> {
  const { query, keyOf } = pageRows(db, q);
  const totals = totalsQuery(db, q);
  const rows = await query
    .select(
      sql<string>`(SELECT coalesce(json_agg(json_build_object('currency', t.currency, 'count', t.count::text, 'amount', t.amount::text) ORDER BY t.currency), '[]')::text FROM (${totals}) t)`.as(
        'totals_json',
      ),
    )
    .execute();
  const first = rows[0];
  const totalRows: CurrencyTotalText[] = first
    ? (JSON.parse(first.totals_json) as CurrencyTotalText[])
    : await totals.execute();
  const page = toPage(rows, q.limit, ({ totals_json: _, ...row }) => row, keyOf);
  return { page, totals: toCurrencyTotals(totalRows) };
}

/**
 * A filter on contract, customer, billing status and NTE status only is answered from the
 * running totals kept by the database (migration 0007), a few rows whatever the backlog's
 * size; a filter on line, class or dates sums its rows.
 */
function totalsQuery(db: Kysely<DB>, f: TmBacklogFilter) {
  const covered = !f.contractLineId && !f.transactionClass && !f.dateFrom && !f.dateTo;
  if (!covered) {
    return backlogRows(db, f)
      .select((eb) => [
        'c.currency',
        eb.fn.countAll<string>().as('count'),
        eb.fn.sum<string>('a.amount').as('amount'),
      ])
      .groupBy('c.currency');
  }
  let query = db
    .selectFrom('tm_backlog_totals as t')
    .select((eb) => [
      't.currency',
      eb.fn.sum<string>('t.count').as('count'),
      eb.fn.sum<string>('t.amount').as('amount'),
    ]);
  query = f.billingStatus
    ? query.where('t.billing_status', 'in', f.billingStatus)
    : query.where('t.billing_status', '<>', 'CustomerInvoicePosted');
  if (f.contractId) query = query.where('t.contract_id', '=', f.contractId);
  if (f.customerId) query = query.where('t.customer_id', '=', f.customerId);
  if (f.nteStatus) query = query.where('t.nte_status', 'in', f.nteStatus);
  return query.groupBy('t.currency').having((eb) => eb.fn.sum('t.count'), '>', 0);
}

// ---------------------------------------------------------------------------------------
// NTE workflow (R25, R26).

/**
 * Locks for an NTE action over `ids`: first the contract rows of those actuals, in id order
 * (NTE usage of a contract changes only under its row lock, R21), then the live unbilled
 * actuals themselves, in id order. Ids that name no live unbilled actual are left out.
 */
export async function lockActualsForNte(
  db: Kysely<DB>,
  ids: readonly string[],
): Promise<{ contracts: ContractRow[]; rows: UnbilledActualRow[] }> {
  const owners = await db
    .selectFrom('actuals')
    .select('contract_id')
    .distinct()
    .where('id', '=', anyId(ids))
    .where('type', '=', 'UnbilledSales')
    .where('billing_status', 'is not', null)
    .execute();
  if (owners.length === 0) return { contracts: [], rows: [] };
  const contracts = await db
    .selectFrom('contracts')
    .selectAll()
    .where('id', '=', anyId(owners.map((o) => o.contract_id)))
    .orderBy('id')
    .forUpdate()
    .execute();
  const rows = await lockBacklogActuals(db, ids);
  return { contracts, rows };
}

export async function setActualsNteStatus(
  db: Kysely<DB>,
  items: readonly { contractId: string; id: string }[],
  to: NteStatus,
  failedLevel: NteLevel | null,
): Promise<void> {
  await setWorkflow(db, items, { nte_status: to, nte_failed_level: failedLevel });
}
