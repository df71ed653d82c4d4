/**
 * The baseline: hand-written SQL doing the same work as each API operation, in the same
 * database, through the same driver, with no HTTP, validation, query builder or presenter.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.js';

export interface PageFilter {
  contractId?: string;
  contractLineId?: string;
  customerId?: string;
  nteStatus?: string;
  transactionClass?: string;
  billingStatus?: string;
  dateFrom?: string;
  dateTo?: string;
}

/** The live T&M backlog rows of a filter, as spec §5 defines them. */
function backlogWhere(f: PageFilter) {
  // The open rows: `in_backlog` (migration 0071); the immutable `type` and `reverses_id`
  // where a contract, customer or line index serves (their partial-index predicate).
  const parts = [
    f.billingStatus === 'CustomerInvoicePosted'
      ? sql`a.type = 'UnbilledSales' AND a.reverses_id IS NULL AND NOT a.adjusted`
      : sql`a.in_backlog`,
  ];
  if (f.billingStatus) parts.push(sql`a.billing_status = ${f.billingStatus}`);
  if (f.contractId || f.customerId || f.contractLineId) {
    parts.push(sql`a.type = 'UnbilledSales' AND a.reverses_id IS NULL`);
  }
  if (f.contractId) parts.push(sql`a.contract_id = ${f.contractId}`);
  if (f.customerId) parts.push(sql`a.customer_id = ${f.customerId}`);
  if (f.contractLineId) {
    parts.push(
      sql`a.contract_line_id = ${f.contractLineId} AND a.contract_id = (SELECT contract_id FROM contract_lines WHERE id = ${f.contractLineId})`,
    );
  }
  if (f.nteStatus) parts.push(sql`a.nte_status = ${f.nteStatus}`);
  if (f.transactionClass) parts.push(sql`a.transaction_class = ${f.transactionClass}`);
  if (f.dateFrom) parts.push(sql`a.date >= ${f.dateFrom}`);
  if (f.dateTo) parts.push(sql`a.date <= ${f.dateTo}`);
  return sql.join(parts, sql` AND `);
}

/**
 * Keyset page by (date, id), 50 rows plus one to learn whether there is a next page, with
 * what the API shows beside each row: the contract's currency and name, the line's and the
 * customer's names, the entry's work detail (R77) and, for a row on an invoice, the invoice.
 */
export async function rawPage(db: Kysely<DB>, f: PageFilter, after?: { date: string; id: string }) {
  const keyset = after
    ? sql` AND (a.date, a.id) > (${after.date}::date, ${after.id}::bigint)`
    : sql``;
  const rows = await sql`
    SELECT a.*,
      (SELECT c.currency FROM contracts c WHERE c.id = a.contract_id) AS currency,
      (SELECT c.name FROM contracts c WHERE c.id = a.contract_id) AS contract_name,
      (SELECT l.name FROM contract_lines l WHERE l.contract_id = a.contract_id AND l.id = a.contract_line_id) AS line_name,
      (SELECT cu.name FROM customers cu WHERE cu.id = a.customer_id) AS customer_name,
      (SELECT json_build_array(e.resource, e.role, e.category, e.description)::text FROM entries e
        WHERE e.contract_id = a.contract_id AND e.id = a.entry_id) AS work,
      CASE WHEN a.billing_status IN ('CustomerInvoiceCreated', 'CustomerInvoicePosted') THEN
        (SELECT d.invoice_id FROM invoice_details d WHERE d.contract_id = a.contract_id
          AND d.source_type = 'Actual' AND d.source_id = a.id AND d.kind = 'charge' AND d.removed_at IS NULL
          ORDER BY d.id DESC LIMIT 1) END AS invoice_id
    FROM actuals a
    WHERE ${backlogWhere(f)}${keyset}
    ORDER BY a.date, a.id LIMIT 51
  `.execute(db);
  return rows.rows;
}

/** The first day of the month of `iso`, and of the month after it. */
const monthOf = (iso: string) => `${iso.slice(0, 7)}-01`;
function nextMonth(iso: string): string {
  const [y, m] = iso.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The totals the view answers, from the sums the database keeps where they cover the
 * filter: per contract (migration 0007) for a contract or customer with statuses only, per
 * month (0072) for a filter on no contract, line or customer (the benchmark's date filter
 * is one whole month); else summed over the rows.
 */
export async function rawTotals(db: Kysely<DB>, f: PageFilter) {
  const status = f.billingStatus
    ? sql`t.billing_status = ${f.billingStatus}`
    : sql`t.billing_status <> 'CustomerInvoicePosted'`;
  const wholeMonths =
    (!f.dateFrom || f.dateFrom === monthOf(f.dateFrom)) &&
    (!f.dateTo || nextMonth(f.dateTo) === monthOf(nextMonth(f.dateTo)));
  if (!f.contractId && !f.customerId && !f.contractLineId && wholeMonths) {
    const parts = [status];
    if (f.nteStatus) parts.push(sql`t.nte_status = ${f.nteStatus}`);
    if (f.transactionClass) parts.push(sql`t.transaction_class = ${f.transactionClass}`);
    if (f.dateFrom) parts.push(sql`t.month >= ${f.dateFrom}`);
    if (f.dateTo) parts.push(sql`t.month <= ${monthOf(f.dateTo)}`);
    const kept = await sql<{ currency: string; count: string; amount: string }>`
      SELECT t.currency, sum(t.count) AS count, sum(t.amount) AS amount FROM tm_backlog_month_totals t
      WHERE ${sql.join(parts, sql` AND `)}
      GROUP BY t.currency HAVING sum(t.count) > 0 ORDER BY t.currency
    `.execute(db);
    return kept.rows;
  }
  if (!f.dateFrom && !f.dateTo && !f.contractLineId && !f.transactionClass) {
    const parts = [status];
    if (f.contractId) parts.push(sql`t.contract_id = ${f.contractId}`);
    if (f.customerId) parts.push(sql`t.customer_id = ${f.customerId}`);
    if (f.nteStatus) parts.push(sql`t.nte_status = ${f.nteStatus}`);
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

/**
 * Drafts (R60 manual, R66 run) for the given contracts: the contract rows locked in id
 * order (a run also records itself per contract), then one statement: the ready T&M items
 * (a run: of the lines with a run date on `date`, up to each line's cut-off; manual: dated
 * on or before `date`) locked, one draft per contract customer that has any (in the
 * contract's customer order), one charge detail per item, the items moved to
 * CustomerInvoiceCreated (R32), an audit event per item and per invoice (R35). The bench
 * data has no milestone splits or retainers, so only T&M actuals are taken. Answers the
 * number of invoices and details created.
 */
export async function rawCreateDrafts(
  db: Kysely<DB>,
  contractIds: readonly string[],
  date: string,
  run: boolean,
): Promise<{ invoices: number; details: number }> {
  return db.transaction().execute(async (trx) => {
    if (run) {
      await sql`
        INSERT INTO invoice_runs (contract_id, run_date)
        SELECT id, ${date}::date FROM contracts WHERE id = ANY(${contractIds}::bigint[]) ORDER BY id FOR UPDATE
        ON CONFLICT (contract_id, run_date)
          DO UPDATE SET runs = invoice_runs.runs + 1, last_run_at = now()
      `.execute(trx);
    } else {
      await sql`SELECT id FROM contracts WHERE id = ANY(${contractIds}::bigint[]) ORDER BY id FOR UPDATE`.execute(
        trx,
      );
    }
    const taken = run
      ? sql`JOIN invoice_schedule_dates s ON s.contract_id = a.contract_id AND s.contract_line_id = a.contract_line_id
              AND s.run_date = ${date}::date AND a.date <= s.cutoff_date`
      : sql``;
    const upTo = run ? sql`` : sql` AND a.date <= ${date}::date`;
    const runOf = run
      ? sql`LEFT JOIN invoice_runs r ON r.contract_id = cc.contract_id AND r.run_date = ${date}::date`
      : sql`LEFT JOIN invoice_runs r ON false`;
    const res = await sql<{ invoices: string; details: string }>`
      WITH items AS (
        SELECT a.contract_id, a.id, a.customer_id, a.contract_line_id, a.transaction_class, a.date,
               a.quantity, a.unit_price, a.amount, a.billing_type
        FROM actuals a ${taken}
        WHERE a.contract_id = ANY(${contractIds}::bigint[]) AND a.type = 'UnbilledSales'
          AND a.reverses_id IS NULL AND NOT a.adjusted AND a.billing_status = 'ReadyToInvoice'${upTo}
        ORDER BY a.contract_id, a.id
        FOR UPDATE OF a
      ), drafts AS (
        INSERT INTO invoices (contract_id, customer_id, status, invoice_date, due_date, currency, run_id)
        SELECT cc.contract_id, cc.customer_id, 'Draft', ${date}::date,
               ${date}::date + coalesce(c.payment_terms_days, 30), c.currency, r.id
        FROM contract_customers cc JOIN contracts c ON c.id = cc.contract_id
        ${runOf}
        WHERE cc.contract_id = ANY(${contractIds}::bigint[])
          AND EXISTS (SELECT 1 FROM items i WHERE i.contract_id = cc.contract_id AND i.customer_id = cc.customer_id)
        ORDER BY cc.contract_id, cc.position
        RETURNING contract_id, id, customer_id
      ), details AS (
        INSERT INTO invoice_details (contract_id, invoice_id, source_type, source_id, kind, contract_line_id,
                                     customer_id, transaction_class, date, original_quantity, quantity,
                                     unit_price, original_amount, amount, billing_type)
        SELECT i.contract_id, v.id, 'Actual', i.id, 'charge', i.contract_line_id, i.customer_id,
               i.transaction_class, i.date, i.quantity, i.quantity, i.unit_price, i.amount, i.amount, i.billing_type
        FROM items i JOIN drafts v ON v.contract_id = i.contract_id AND v.customer_id = i.customer_id
        ORDER BY v.id, i.id
        RETURNING 1
      ), moved AS (
        UPDATE actuals a SET billing_status = 'CustomerInvoiceCreated'
        FROM items i WHERE a.contract_id = i.contract_id AND a.id = i.id
      ), audited AS (
        INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
        SELECT 'bench', 'createInvoice', 'Actual', id::text, contract_id, 'ReadyToInvoice', 'CustomerInvoiceCreated' FROM items
        UNION ALL
        SELECT 'bench', 'createInvoice', 'Invoice', id::text, contract_id, NULL, 'Draft' FROM drafts
      )
      SELECT (SELECT count(*) FROM drafts) AS invoices, (SELECT count(*) FROM details) AS details
    `.execute(trx);
    return {
      invoices: Number(res.rows[0]?.invoices ?? 0),
      details: Number(res.rows[0]?.details ?? 0),
    };
  });
}

/**
 * Confirming drafts (R63, R64 in bulk), in one transaction: contract and invoice rows
 * locked; one statement posts every T&M charge detail (items to CustomerInvoicePosted,
 * BilledSales rows at the detail's quantity, amount and billing type plus the NonChargeable
 * rest of a reduced quantity (R62), a reversal of each unbilled row, an audit event per
 * item); one statement takes the numbers from the gapless counter in id order, records
 * them in invoice_numbers and confirms the invoices, with an audit event each. Answers the
 * number of invoices confirmed.
 */
export async function rawConfirmInvoices(
  db: Kysely<DB>,
  invoiceIds: readonly string[],
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`
      SELECT id FROM contracts
      WHERE id IN (SELECT contract_id FROM invoices WHERE id = ANY(${invoiceIds}::bigint[]))
      ORDER BY id FOR UPDATE
    `.execute(trx);
    await sql`
      SELECT id FROM invoices WHERE id = ANY(${invoiceIds}::bigint[]) AND status = 'Draft'
      ORDER BY contract_id, id FOR UPDATE
    `.execute(trx);
    await sql`
      WITH d AS (
        SELECT d.* FROM invoice_details d JOIN invoices v ON v.contract_id = d.contract_id AND v.id = d.invoice_id
        WHERE v.id = ANY(${invoiceIds}::bigint[]) AND v.status = 'Draft'
          AND d.removed_at IS NULL AND d.kind = 'charge' AND d.source_type = 'Actual'
      ), posted AS (
        UPDATE actuals a SET billing_status = 'CustomerInvoicePosted'
        FROM d WHERE a.contract_id = d.contract_id AND a.id = d.source_id AND a.billing_status = 'CustomerInvoiceCreated'
        RETURNING a.contract_id, a.id, a.type, a.entry_id, a.invoice_id, a.contract_line_id, a.line_customer_id,
                  a.customer_id, a.transaction_class, a.date, a.quantity, a.unit_price, a.amount, a.billing_type,
                  d.invoice_id AS billed_on, d.original_quantity AS d_original_quantity, d.quantity AS d_quantity,
                  d.original_amount AS d_original_amount, d.amount AS d_amount, d.billing_type AS d_billing_type
      ), ledger AS (
        INSERT INTO actuals (contract_id, type, reverses_id, entry_id, invoice_id, contract_line_id, line_customer_id,
                             customer_id, transaction_class, date, quantity, unit_price, amount, billing_type)
        SELECT contract_id, 'BilledSales', NULL::bigint, entry_id, billed_on, contract_line_id, line_customer_id, customer_id,
               transaction_class, date, d_quantity, unit_price, d_amount, d_billing_type FROM posted
        UNION ALL
        SELECT contract_id, 'BilledSales', NULL, entry_id, billed_on, contract_line_id, line_customer_id, customer_id,
               transaction_class, date, d_original_quantity - d_quantity, unit_price, d_original_amount - d_amount,
               'NonChargeable' FROM posted WHERE d_quantity < d_original_quantity
        UNION ALL
        SELECT contract_id, type, id, entry_id, invoice_id, contract_line_id, line_customer_id, customer_id,
               transaction_class, date, -quantity, unit_price, -amount, billing_type FROM posted
      )
      INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
      SELECT 'bench', 'confirmInvoice', 'Actual', id::text, contract_id, 'CustomerInvoiceCreated', 'CustomerInvoicePosted'
      FROM posted
    `.execute(trx);
    const res = await sql`
      WITH v AS (
        SELECT contract_id, id, row_number() OVER (ORDER BY id) AS k FROM invoices
        WHERE id = ANY(${invoiceIds}::bigint[]) AND status = 'Draft'
      ), counter AS (
        UPDATE invoice_counters SET next = next + (SELECT count(*) FROM v) WHERE name = 'invoice'
        RETURNING next - (SELECT count(*) FROM v) AS first
      ), numbered AS (
        SELECT v.contract_id, v.id, counter.first + v.k - 1 AS number FROM v, counter
      ), recorded AS (
        INSERT INTO invoice_numbers (number, contract_id, invoice_id) SELECT number, contract_id, id FROM numbered
      ), confirmed AS (
        UPDATE invoices i SET status = 'Confirmed', confirmed_at = now(),
               number = 'INV-' || lpad(n.number::text, greatest(6, length(n.number::text)), '0')
        FROM numbered n WHERE i.contract_id = n.contract_id AND i.id = n.id
        RETURNING i.contract_id, i.id
      )
      INSERT INTO audit_events (actor, action, entity_type, entity_id, contract_id, from_status, to_status)
      SELECT 'bench', 'confirmInvoice', 'Invoice', id::text, contract_id, 'Draft', 'Confirmed' FROM confirmed
    `.execute(trx);
    return Number(res.numAffectedRows ?? 0);
  });
}

/**
 * What invoicing left in the database for some contracts, as counts and sums per table and
 * status (ids, numbers and times left out): the API's contracts and their raw-SQL copies
 * must come out the same. Audit events after `auditAfter` only.
 */
export async function invoicingShape(
  db: Kysely<DB>,
  contractIds: readonly string[],
  auditAfter: string,
): Promise<Record<string, string>> {
  const ids = sql`${contractIds}::bigint[]`;
  const rows = await sql<{ k: string; v: string }>`
    SELECT 'invoices ' || status || CASE WHEN run_id IS NULL THEN '' ELSE ' of a run' END
           || CASE WHEN number ~ '^INV-[0-9]{6,}$' THEN ' numbered' WHEN number IS NULL THEN '' ELSE ' BAD NUMBER' END AS k,
           count(*)::text AS v
    FROM invoices WHERE contract_id = ANY(${ids}) GROUP BY 1
    UNION ALL
    SELECT 'invoice_numbers (matching the invoice)', count(*)::text
    FROM invoice_numbers n JOIN invoices i ON i.contract_id = n.contract_id AND i.id = n.invoice_id
    WHERE n.contract_id = ANY(${ids}) AND substr(i.number, 5)::bigint = n.number
    UNION ALL
    SELECT 'invoice_runs', count(*) || ' rows, ' || coalesce(sum(runs), 0) || ' runs'
    FROM invoice_runs WHERE contract_id = ANY(${ids})
    UNION ALL
    SELECT 'invoice_details ' || kind || ' ' || source_type || CASE WHEN active THEN ' active' ELSE '' END,
           count(*) || ', Σ quantity ' || sum(quantity) || ', Σ amount ' || sum(amount)
    FROM invoice_details WHERE contract_id = ANY(${ids}) GROUP BY 1
    UNION ALL
    SELECT 'actuals ' || type || ' ' || coalesce(billing_status, '-') || ' ' || billing_type
           || CASE WHEN reverses_id IS NOT NULL THEN ' reversal' ELSE '' END
           || CASE WHEN invoice_id IS NOT NULL THEN ' on an invoice' ELSE '' END
           || CASE WHEN adjusted THEN ' adjusted' ELSE '' END,
           count(*) || ', Σ quantity ' || sum(quantity) || ', Σ amount ' || sum(amount)
    FROM actuals WHERE contract_id = ANY(${ids}) GROUP BY 1
    UNION ALL
    SELECT 'audit_events ' || action || ' ' || entity_type || ' ' || coalesce(from_status, '-') || ' → '
           || coalesce(to_status, '-'), count(*)::text
    FROM audit_events WHERE id > ${auditAfter}::bigint AND contract_id = ANY(${ids}) GROUP BY 1
    UNION ALL
    SELECT 'tm_backlog_totals ' || billing_status, sum(count) || ', Σ amount ' || sum(amount)
    FROM tm_backlog_totals WHERE contract_id = ANY(${ids}) GROUP BY 1 HAVING sum(count) <> 0
  `.execute(db);
  const sorted = [...rows.rows].sort((a, b) => (a.k < b.k ? -1 : 1));
  return Object.fromEntries(sorted.map((r) => [r.k, r.v]));
}
