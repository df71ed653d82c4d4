/**
 * The baseline: hand-written SQL doing the same work as each API operation, in the same
 * database, through the same driver, with no HTTP, validation, query builder or presenter.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

export interface PageFilter {
  contractId?: string;
  customerId?: string;
  billingStatus?: string;
  dateFrom?: string;
  dateTo?: string;
}

/** The live T&M backlog rows of a filter, as spec §5 defines them. */
function backlogWhere(f: PageFilter) {
  const parts = [
    sql`a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status IS NOT NULL`,
    f.billingStatus
      ? sql`a.billing_status = ${f.billingStatus}`
      : sql`a.billing_status <> 'CustomerInvoicePosted'`,
  ];
  if (f.contractId) parts.push(sql`a.contract_id = ${f.contractId}`);
  if (f.customerId) parts.push(sql`a.customer_id = ${f.customerId}`);
  if (f.dateFrom) parts.push(sql`a.date >= ${f.dateFrom}`);
  if (f.dateTo) parts.push(sql`a.date <= ${f.dateTo}`);
  return sql.join(parts, sql` AND `);
}

/** Keyset page by (date, id), 50 rows plus one to learn whether there is a next page. */
export async function rawPage(db: Kysely<DB>, f: PageFilter, after?: { date: string; id: string }) {
  const keyset = after
    ? sql` AND (a.date, a.id) > (${after.date}::date, ${after.id}::bigint)`
    : sql``;
  const rows = await sql`
    SELECT a.*, c.currency FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE ${backlogWhere(f)}${keyset}
    ORDER BY a.date, a.id LIMIT 51
  `.execute(db);
  return rows.rows;
}

/**
 * The totals the view answers: from the running totals (migration 0007) when the filter is
 * on contract, customer and status only, as the view reads them; else summed over the rows.
 */
export async function rawTotals(db: Kysely<DB>, f: PageFilter) {
  if (!f.dateFrom && !f.dateTo) {
    const parts = [
      f.billingStatus ? sql`t.billing_status = ${f.billingStatus}` : sql`t.billing_status <> 'CustomerInvoicePosted'`,
    ];
    if (f.contractId) parts.push(sql`t.contract_id = ${f.contractId}`);
    if (f.customerId) parts.push(sql`t.customer_id = ${f.customerId}`);
    const kept = await sql<{ currency: string; count: string; amount: string }>`
      SELECT t.currency, sum(t.count) AS count, sum(t.amount) AS amount FROM tm_backlog_totals t
      WHERE ${sql.join(parts, sql` AND `)}
      GROUP BY t.currency HAVING sum(t.count) > 0 ORDER BY t.currency
    `.execute(db);
    return kept.rows;
  }
  const rows = await sql<{ currency: string; count: string; amount: string }>`
    SELECT c.currency, count(*) AS count, sum(a.amount) AS amount
    FROM actuals a JOIN contracts c ON c.id = a.contract_id
    WHERE ${backlogWhere(f)}
    GROUP BY c.currency ORDER BY c.currency
  `.execute(db);
  return rows.rows;
}

/** Mark ready (R24, R31) with its audit events (R35), one statement. */
export async function rawMarkReady(db: Kysely<DB>, ids: readonly string[]): Promise<number> {
  const res = await sql`
    WITH changed AS (
      UPDATE actuals a SET billing_status = 'ReadyToInvoice'
      FROM (SELECT id, billing_status FROM actuals WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE) old
      WHERE a.id = old.id AND a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted
        AND a.billing_status IN ('UnbilledSalesCreated', 'NotReadyToInvoice')
        AND a.nte_status IS DISTINCT FROM 'Failed'
      RETURNING a.id, a.contract_id, old.billing_status AS from_status
    )
    INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
    SELECT 'bench', 'markReady', 'Actual', id::text, contract_id, from_status, 'ReadyToInvoice' FROM changed
  `.execute(db);
  return Number(res.numAffectedRows ?? 0);
}

/**
 * Approving submitted entries (R10, R3, R35), set-based: one sales actual per line customer,
 * non-rounding parts rounded half up, the rounding customer taking the residue; entries
 * marked Approved; one audit event per entry and per actual. Exponent 0 for JPY, 2 otherwise
 * (the generator's currencies). Answers the number of actuals created.
 */
export async function rawApprove(db: Kysely<DB>, entryIds: readonly string[]): Promise<number> {
  const res = await sql<{ n: string }>`
    WITH e AS (
      SELECT en.contract_id, en.id, en.contract_line_id, en.transaction_class, en.date, en.quantity, en.unit_price,
             round(en.quantity * 100) AS q_total,
             round(en.quantity * en.unit_price * CASE c.currency WHEN 'JPY' THEN 1 ELSE 100 END) AS a_total
      FROM entries en JOIN contracts c ON c.id = en.contract_id
      WHERE en.id = ANY(${entryIds}::bigint[]) AND en.status = 'Submitted'
      FOR UPDATE OF en
    ), parts AS (
      SELECT e.*, lc.id AS line_customer_id, lc.customer_id, lc.is_rounding,
             CASE WHEN lc.is_rounding THEN 0 ELSE round(e.q_total * lc.split_percent / 100) END AS q_part,
             CASE WHEN lc.is_rounding THEN 0 ELSE round(e.a_total * lc.split_percent / 100) END AS a_part
      FROM e JOIN line_customers lc ON lc.contract_id = e.contract_id AND lc.contract_line_id = e.contract_line_id
    ), created AS (
      INSERT INTO actuals (contract_id, type, entry_id, contract_line_id, line_customer_id, customer_id,
                           transaction_class, date, quantity, unit_price, amount, billing_type,
                           billing_status, nte_status)
      SELECT contract_id, 'UnbilledSales', id, contract_line_id, line_customer_id, customer_id,
             transaction_class, date,
             (CASE WHEN is_rounding THEN q_total - sum(q_part) OVER w ELSE q_part END) / 100.0,
             unit_price,
             CASE WHEN is_rounding THEN a_total - sum(a_part) OVER w ELSE a_part END,
             'Chargeable', 'UnbilledSalesCreated', 'NotApplicable'
      FROM parts WINDOW w AS (PARTITION BY id)
      RETURNING id, contract_id
    ), approved AS (
      UPDATE entries en SET status = 'Approved', approved_at = now()
      FROM e WHERE en.contract_id = e.contract_id AND en.id = e.id
      RETURNING en.id, en.contract_id
    ), audited AS (
      INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
      SELECT 'bench', 'approveEntry', 'Entry', id::text, contract_id, 'Submitted', 'Approved' FROM approved
      UNION ALL
      SELECT 'bench', 'approveEntry', 'Actual', id::text, contract_id, NULL, 'UnbilledSalesCreated' FROM created
    )
    SELECT count(*) AS n FROM created
  `.execute(db);
  return Number(res.rows[0]?.n ?? 0);
}

/** Submitted entries for the raw approval to approve (setup, not timed). */
export async function rawSubmitEntries(
  db: Kysely<DB>,
  lineIds: readonly string[],
  date: string,
): Promise<string[]> {
  const res = await sql<{ id: string }>`
    INSERT INTO entries (contract_id, contract_line_id, transaction_class, date, quantity, unit_price, status)
    SELECT l.contract_id, l.id, 'Time', ${date}::date, 7.5, 150, 'Submitted'
    FROM contract_lines l WHERE l.id = ANY(${lineIds}::bigint[])
    RETURNING id
  `.execute(db);
  return res.rows.map((r) => r.id);
}
