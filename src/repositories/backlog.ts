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
import { PREPARED_READ } from '../db/unit-of-work.js';
import { splitIntoWholeMonths } from '../domain/calendar.js';
import { MalformedInputError } from '../domain/errors.js';
import { ON_INVOICE } from '../domain/vocabulary.js';
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
function viewRows(db: Kysely<DB>, f: TmBacklogFilter) {
  let query = db.selectFrom('actuals as a');
  const open = !f.billingStatus?.includes('CustomerInvoicePosted');
  // The open rows are `in_backlog` (migration 0071): stated, the planner can walk the
  // open-rows index, which holds no posted history. `type` and `reverses_id` never change
  // and are the predicate of the contract, customer and amount indexes, which `in_backlog`
  // does not imply to the planner: stated only where those indexes serve (a contract,
  // customer or line, or posted rows), since the all-rows date index matches them too and
  // its walk starts in years of posted history.
  if (open) query = query.where(sql<boolean>`a.in_backlog`);
  if (!open || f.contractId || f.customerId || f.contractLineId) {
    query = query.where('a.type', '=', 'UnbilledSales').where('a.reverses_id', 'is', null);
  }
  if (!open) query = query.where('a.adjusted', '=', false);
  if (f.billingStatus) query = query.where('a.billing_status', 'in', f.billingStatus);
  if (f.contractId) query = query.where('a.contract_id', '=', f.contractId);
  if (f.contractLineId) {
    // The line's rows through its contract's indexes (a line is a few hundred rows at most).
    query = query
      .where('a.contract_line_id', '=', f.contractLineId)
      .where(
        'a.contract_id',
        '=',
        db.selectFrom('contract_lines').select('contract_id').where('id', '=', f.contractLineId),
      );
  }
  if (f.customerId) query = query.where('a.customer_id', '=', f.customerId);
  if (f.nteStatus) query = query.where('a.nte_status', 'in', f.nteStatus);
  if (f.transactionClass) query = query.where('a.transaction_class', 'in', f.transactionClass);
  if (f.dateFrom) query = query.where('a.date', '>=', f.dateFrom);
  if (f.dateTo) query = query.where('a.date', '<=', f.dateTo);
  return query;
}

/** The view's rows with their contract (`c.currency`), for sums per currency. */
export function backlogRows(db: Kysely<DB>, f: TmBacklogFilter) {
  return viewRows(db, f).innerJoin('contracts as c', 'c.id', 'a.contract_id');
}

/** The columns of an actual that the T&M backlog shows. */
const BACKLOG_ROW_COLUMNS = [
  'id',
  'contract_id',
  'contract_line_id',
  'customer_id',
  'transaction_class',
  'date',
  'quantity',
  'unit_price',
  'amount',
  'billing_type',
  'billing_status',
  'nte_status',
  'nte_failed_level',
] as const;

export type BacklogRowColumns = Pick<
  ActualWithCurrency,
  (typeof BACKLOG_ROW_COLUMNS)[number] | 'currency'
>;

/** A row of the view as the page reads it: the actual and what the API shows beside it. */
export type TmBacklogPageRow = BacklogRowColumns & {
  contract_name: string;
  contract_line_name: string | null;
  customer_name: string | null;
  backlog_invoice_id: string | null;
  /** R77: the entry's [resource, role, category, description] as JSON text; null without an entry. */
  work: string | null;
};

/** The view's rows after the cursor in sort order, one more than the page (is there a next?). */
function pageRows(db: Kysely<DB>, q: TmBacklogQuery) {
  const after = decodeBacklogCursor(q.cursor, q.sort);
  const byDate = q.sort.endsWith('date');
  const direction = q.sort.startsWith('-') ? 'desc' : 'asc';
  const column = byDate ? 'a.date' : 'a.amount';
  const onInvoice: readonly string[] = ON_INVOICE;
  // Names (issue 18), the entry's work detail (R77) and, for a row on an invoice, that
  // invoice (spec §5 `invoiceId`) are read per row of the page by the page's own statement.
  // Subqueries rather than joins: a five-table join cost more to plan (5–8 ms at 1M) than
  // the page costs to read.
  let query = viewRows(db, q)
    .modifyFront(sql.raw(PREPARED_READ))
    // Named columns, not `a.*`: a prepared statement whose result gained a column (a
    // migration while an older process runs) fails until its connection closes.
    .select(BACKLOG_ROW_COLUMNS.map((c) => `a.${c}` as const))
    .select([
      sql<string>`(SELECT c.currency FROM contracts c WHERE c.id = a.contract_id)`.as('currency'),
      sql<string>`(SELECT c.name FROM contracts c WHERE c.id = a.contract_id)`.as('contract_name'),
      sql<string | null>`(SELECT l.name FROM contract_lines l
        WHERE l.contract_id = a.contract_id AND l.id = a.contract_line_id)`.as(
        'contract_line_name',
      ),
      sql<string | null>`(SELECT cu.name FROM customers cu WHERE cu.id = a.customer_id)`.as(
        'customer_name',
      ),
      // JSON text, not a text[]: the driver parses an array literal character by character.
      sql<
        string | null
      >`(SELECT json_build_array(e.resource, e.role, e.category, e.description)::text
        FROM entries e WHERE e.contract_id = a.contract_id AND e.id = a.entry_id)`.as('work'),
      sql<string | null>`CASE WHEN a.billing_status IN (${sql.join(onInvoice)}) THEN coalesce(
        (SELECT d.invoice_id FROM invoice_details d
          WHERE d.contract_id = a.contract_id AND d.source_type = 'Actual' AND d.source_id = a.id
            AND d.kind = 'charge' AND d.active),
        (SELECT d.invoice_id FROM invoice_details d
          WHERE d.contract_id = a.contract_id AND d.source_type = 'Actual' AND d.source_id = a.id
            AND d.kind = 'charge' AND d.removed_at IS NULL ORDER BY d.id DESC LIMIT 1)) END`.as(
        'backlog_invoice_id',
      ),
    ])
    .orderBy(column, direction)
    .orderBy('a.id', direction)
    // A literal: a generic plan then knows how few rows it reads (with a parameter it assumes
    // a tenth of the table and is never chosen), so PostgreSQL keeps the plan of this text.
    .limit(sql.lit(q.limit + 1));
  // The amount index's predicate (see `viewRows`), stated so an amount order walks it.
  if (!byDate)
    query = query.where('a.type', '=', 'UnbilledSales').where('a.reverses_id', 'is', null);
  if (after) {
    query = query.where((eb) =>
      eb(
        eb.refTuple(column, 'a.id'),
        direction === 'asc' ? '>' : '<',
        eb.tuple(after.value, after.id),
      ),
    );
  }
  const keyOf = (r: BacklogRowColumns) => [q.sort, byDate ? r.date : r.amount, r.id];
  return { query, keyOf };
}

/**
 * One page of the view without its totals: what an export reads page after page (the totals
 * of a wide filter would otherwise be summed again for every page).
 */
export async function listTmBacklog(
  db: Kysely<DB>,
  q: TmBacklogQuery,
): Promise<Page<TmBacklogPageRow>> {
  const { query, keyOf } = pageRows(db, q);
  return toPage(await query.execute(), q.limit, (r) => r as TmBacklogPageRow, keyOf);
}

/**
 * One page of the view and the totals of its whole filter, in ONE statement: a statement
 * reads one snapshot, so the page and its totals always agree without an explicit
 * transaction, and the request costs one round trip. The totals ride on every row as a
 * small JSON array (one entry per currency, computed once as an InitPlan); a page with no
 * rows asks for them on their own.
 */
export async function readTmBacklog(
  db: Kysely<DB>,
  q: TmBacklogQuery,
): Promise<{ page: Page<TmBacklogPageRow>; totals: CurrencyTotal[] }> {
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
  const page = toPage(
    rows,
    q.limit,
    ({ totals_json: _, ...row }) => row as TmBacklogPageRow,
    keyOf,
  );
  return { page, totals: toCurrencyTotals(totalRows) };
}

/**
 * The totals of a filter, from kept sums wherever they cover it:
 * - no contract, line or customer: the month totals (migration 0072), a row per month,
 *   currency and value of the other filters, plus the rows of the days at either end of a
 *   date range that fill no whole month;
 * - contract or customer with statuses only: the running totals per contract (0007);
 * - otherwise the filter's own rows, which a contract, line or customer keeps to a few
 *   hundred (read through that column's index).
 */
function totalsQuery(db: Kysely<DB>, f: TmBacklogFilter) {
  if (!f.contractId && !f.customerId && !f.contractLineId) return monthTotals(db, f);
  if (!f.contractLineId && !f.transactionClass && !f.dateFrom && !f.dateTo) {
    return contractTotals(db, f);
  }
  return rowTotals(db, f);
}

function rowTotals(db: Kysely<DB>, f: TmBacklogFilter) {
  return backlogRows(db, f)
    .select([
      'c.currency',
      sql<string>`count(*)`.as('count'),
      sql<string>`sum(a.amount)`.as('amount'),
    ])
    .groupBy('c.currency');
}

/** A kept-sums table's rows (`t`) of the filter's billing and NTE statuses: both tables key on them. */
function keptStatuses(f: TmBacklogFilter) {
  const billing = f.billingStatus
    ? sql`t.billing_status IN (${sql.join(f.billingStatus)})`
    : sql`t.billing_status <> 'CustomerInvoicePosted'`;
  const nte = f.nteStatus ? sql` AND t.nte_status IN (${sql.join(f.nteStatus)})` : sql``;
  return sql<boolean>`${billing}${nte}`;
}

const keptSums = [
  't.currency',
  sql<string>`sum(t.count)`.as('count'),
  sql<string>`sum(t.amount)`.as('amount'),
] as const;

function contractTotals(db: Kysely<DB>, f: TmBacklogFilter) {
  let query = db.selectFrom('tm_backlog_totals as t').select(keptSums).where(keptStatuses(f));
  if (f.contractId) query = query.where('t.contract_id', '=', f.contractId);
  if (f.customerId) query = query.where('t.customer_id', '=', f.customerId);
  return query.groupBy('t.currency').having(sql`sum(t.count)`, '>', 0);
}

function monthTotals(db: Kysely<DB>, f: TmBacklogFilter) {
  const split = splitIntoWholeMonths(f.dateFrom, f.dateTo);
  const wholeMonths = () => {
    let query = db
      .selectFrom('tm_backlog_month_totals as t')
      .select(keptSums)
      .where(keptStatuses(f));
    if (f.transactionClass) query = query.where('t.transaction_class', 'in', f.transactionClass);
    if (split.months?.from) query = query.where('t.month', '>=', split.months.from);
    if (split.months?.to) query = query.where('t.month', '<=', split.months.to);
    return query.groupBy('t.currency');
  };
  const days = split.days.map(({ from, to }) => {
    const edge: TmBacklogFilter = { ...f };
    delete edge.dateFrom;
    delete edge.dateTo;
    if (from) edge.dateFrom = from;
    if (to) edge.dateTo = to;
    return rowTotals(db, edge);
  });
  const parts = [...(split.months ? [wholeMonths()] : []), ...days];
  const all = sql<CurrencyTotalText>`(${sql.join(parts, sql` UNION ALL `)})`;
  return db
    .selectFrom(all.as('p'))
    .select([
      'p.currency',
      sql<string>`sum(p.count)`.as('count'),
      sql<string>`sum(p.amount)`.as('amount'),
    ])
    .groupBy('p.currency')
    .having(sql`sum(p.count)`, '>', 0);
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
